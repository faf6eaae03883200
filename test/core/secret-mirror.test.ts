import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretMirrorScript } from '../../src/core/secret-mirror.js';
import { one, synthStack } from '../support/synth.js';

/**
 * The Secret mirror's script, run by the local `sh` (dash here; busybox ash in the curl image) with the local curl
 * and base64 against a stand-in API server (a local HTTP server recording the requests): no cluster runs here, so the
 * stand-in checks what the script sends, not what an API server does with it.
 */
interface Recorded {
  method: string;
  url: string;
  contentType?: string;
  authorization?: string;
  body: string;
}

async function runMirror(status: number): Promise<{ code: number; stdout: string; requests: Recorded[] }> {
  const requests: Recorded[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, contentType: req.headers['content-type'], authorization: req.headers.authorization, body });
      res.writeHead(status, { 'content-type': 'application/json' }).end(status === 200 ? '{}' : '{"reason":"Forbidden"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dir = mkdtempSync(join(tmpdir(), 'mirror-'));
  // A Secret volume as the kubelet writes it: the keys are symlinks into a hidden ..data directory.
  const writer = join(dir, 'mirror', 'logs-log-writer-credentials');
  mkdirSync(join(writer, '..2026_11_30'), { recursive: true });
  writeFileSync(join(writer, '..2026_11_30', 'username'), 'logs-log-writer');
  writeFileSync(join(writer, '..2026_11_30', 'password'), 'pa$$ "word"\n');
  symlinkSync('..2026_11_30', join(writer, '..data'));
  for (const key of ['username', 'password']) symlinkSync(join('..data', key), join(writer, key));
  // An optional Secret that does not exist yet: an empty directory.
  mkdirSync(join(dir, 'mirror', 'logs-ca'), { recursive: true });
  const sa = join(dir, 'sa');
  mkdirSync(sa);
  writeFileSync(join(sa, 'token'), 'the-token');
  writeFileSync(join(sa, 'ca.crt'), '');
  const script = join(dir, 'mirror.sh');
  writeFileSync(script, secretMirrorScript());
  const child = spawn('sh', [script], {
    env: {
      PATH: process.env.PATH,
      KUBE_API: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      SA_DIR: sa,
      MIRROR_DIR: join(dir, 'mirror'),
      TO_NAMESPACE: 'observability-node-agents',
      COPY_LABELS: '{"app.kubernetes.io/name":"secret-mirror"}',
    },
  });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stdout += d));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  server.close();
  return { code, stdout, requests };
}

describe('SecretMirror (copies the Secrets Fluent Bit needs into the node agents\' namespace)', () => {
  it('applies each present Secret server-side in the target namespace, with its keys base64-encoded, and skips a missing one', async () => {
    const { code, stdout, requests } = await runMirror(200);
    expect(code, stdout).toBe(0);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request!.method).toBe('PATCH');
    expect(request!.url).toBe('/api/v1/namespaces/observability-node-agents/secrets/logs-log-writer-credentials?fieldManager=aiml-observability-secret-mirror&force=true');
    expect(request!.contentType).toBe('application/apply-patch+yaml');
    expect(request!.authorization).toBe('Bearer the-token');
    const body = JSON.parse(request!.body);
    expect(body).toMatchObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'logs-log-writer-credentials', labels: { 'app.kubernetes.io/name': 'secret-mirror' } }, type: 'Opaque' });
    expect(Object.keys(body.data).sort()).toEqual(['password', 'username']);
    expect(Buffer.from(body.data.password, 'base64').toString()).toBe('pa$$ "word"\n');
    expect(Buffer.from(body.data.username, 'base64').toString()).toBe('logs-log-writer');
    expect(stdout).toContain('secret logs-ca: not in the source namespace yet, skipped');
    expect(stdout).not.toContain(body.data.password);
  });

  it('fails the Job (exit 1, the reason in its log) when the API server refuses', async () => {
    const { code, stdout } = await runMirror(403);
    expect(code).toBe(1);
    expect(stdout).toContain('secret logs-log-writer-credentials: copy to observability-node-agents failed');
    expect(stdout).toContain('Forbidden');
  });

  it('is wired as the script expects: env, mounts per Secret, least-privilege Role in the target namespace only', () => {
    const { objects } = synthStack({});
    const cron = one(objects, 'CronJob', 'fluent-bit-secret-mirror');
    expect(cron.metadata.namespace).toBe('observability');
    const pod = cron.spec.jobTemplate.spec.template.spec;
    const env = Object.fromEntries(pod.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(env.TO_NAMESPACE).toBe('observability-node-agents');
    const mounts = pod.containers[0].volumeMounts.map((m: { mountPath: string }) => m.mountPath).sort();
    expect(mounts).toEqual(['/mirror/logs-ca', '/mirror/logs-log-writer-credentials', '/script']);
    expect(one(objects, 'ConfigMap', 'fluent-bit-secret-mirror-script').data['mirror.sh']).toBe(secretMirrorScript());
    const role = one(objects, 'Role', 'fluent-bit-secret-mirror');
    expect(role.metadata.namespace).toBe('observability-node-agents');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], resourceNames: ['logs-log-writer-credentials', 'logs-ca'], verbs: ['get', 'create', 'patch'] }]);
    // Fluent Bit reads the copies: its output's credentials and its CA volume name the same Secrets, in its namespace.
    const fluentBit = one(objects, 'FluentBit', 'fluent-bit');
    expect(fluentBit.metadata.namespace).toBe('observability-node-agents');
    expect(fluentBit.spec.volumes.find((v: { name: string }) => v.name === 'opensearch-ca').secret.secretName).toBe('logs-ca');
  });
});
