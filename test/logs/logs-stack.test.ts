import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, YamlOutputType } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { FileCredentialStore } from '../../src/core/credential-store.js';
import { ObservabilityChart } from '../../src/observability-chart.js';
import { testCredentials } from '../support/credentials.js';
import { kubeValidatePath } from '../support/kube-validate.js';
import { type K8sObject, ofKind, type StackProps, synthStack, writeTestCredentialsFile } from '../support/synth.js';

/** Synthesizes the whole stack (flux delivery) into a fresh directory, as `cdk8s synth` would; returns the files. */
function synthToDir(props: StackProps, outdir = mkdtempSync(join(tmpdir(), 'logs-synth-'))): { outdir: string; files: Record<string, string> } {
  const app = new App({ outdir, outputFileExtension: '.k8s.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
  new ObservabilityChart(app, 'observability', { delivery: 'flux', ...props });
  app.synth();
  const files = Object.fromEntries(readdirSync(outdir).sort().map((f) => [f, readFileSync(join(outdir, f), 'utf8')]));
  return { outdir, files };
}

const objectsOf = (files: Record<string, string>): K8sObject[] =>
  Object.values(files).flatMap((text) => parseAllDocuments(text).map((d) => d.toJS() as K8sObject)).filter(Boolean);

const LOG_KINDS = ['OpenSearchCluster', 'OpensearchUser', 'OpensearchRole', 'OpensearchIndexTemplate', 'OpenSearchISMPolicy', 'FluentBit', 'ClusterFluentBitConfig', 'ClusterInput', 'ClusterFilter', 'ClusterOutput', 'PodMonitor', 'PrometheusRule'];

describe('the log path in the synthesized stack', () => {
  it('kube-validate reports no invalid object (OpenSearch and Fluent Bit resources checked against their CRDs)', () => {
    const { outdir, files } = synthToDir({ credentials: testCredentials() });
    const kinds = new Set(objectsOf(files).map((o) => o.kind));
    for (const kind of LOG_KINDS) expect(kinds, kind).toContain(kind);
    const result = kubeValidatePath(outdir);
    expect(result.invalid, result.output).toBe(0);
    expect(result.output).toMatch(/ 0 of unknown kind/);
  });

  it('kube-validate also accepts the existingSecret and external-OpenSearch variants', () => {
    const store = new FileCredentialStore({ path: join(mkdtempSync(join(tmpdir(), 'creds-')), 'credentials.json') });
    for (const props of [
      { credentials: store, openSearch: { existingSecret: 'vault-logs' } },
      {
        credentials: store,
        openSearch: { enabled: false },
        externalOpenSearch: { target: { namespace: 'observability', clusterName: 'corp', host: 'search.example.com', port: 443, url: 'https://search.example.com:443', logIndexPattern: 'logs-*' }, writerCredentialsSecret: 'w', version: '2.19.2' },
      },
    ] satisfies StackProps[]) {
      const result = kubeValidatePath(synthToDir(props).outdir);
      expect(result.invalid, result.output).toBe(0);
    }
  });

  it('synthesizes byte-identical output twice from one credentials file (two separate synths), and the file is written once', () => {
    const credentialsFile = join(mkdtempSync(join(tmpdir(), 'creds-')), 'state', 'credentials.json');
    const first = synthToDir({ credentials: new FileCredentialStore({ path: credentialsFile }) });
    const stored = readFileSync(credentialsFile, 'utf8');
    const mtime = statSync(credentialsFile).mtimeMs;
    const second = synthToDir({ credentials: new FileCredentialStore({ path: credentialsFile }) });
    expect(Object.keys(second.files)).toEqual(Object.keys(first.files));
    for (const name of Object.keys(first.files)) expect(second.files[name], name).toBe(first.files[name]);
    expect(readFileSync(credentialsFile, 'utf8')).toBe(stored);
    expect(statSync(credentialsFile).mtimeMs).toBe(mtime);
    expect((statSync(credentialsFile).mode & 0o777).toString(8)).toBe('600');
    // The store holds the OpenSearch passwords and the bcrypt salt seed.
    expect(Object.keys(JSON.parse(stored))).toEqual(expect.arrayContaining(['observability/logs/opensearch-admin-password', 'observability/logs/opensearch-bcrypt-salt-seed']));
  });

  it('changes the security config when a stored password changes (so a rotation is applied), and only then', () => {
    const dir = mkdtempSync(join(tmpdir(), 'creds-'));
    const credentialsFile = join(dir, 'credentials.json');
    writeTestCredentialsFile(dir, 'credentials.json'); // the first synth needs no hashing; the rotated password does
    const internalUsers = (files: Record<string, string>) => objectsOf(files).find((o) => o.kind === 'Secret' && o.metadata.name === 'logs-security-config')!.stringData['internal_users.yml'];
    const before = internalUsers(synthToDir({ credentials: new FileCredentialStore({ path: credentialsFile }) }).files);
    const state = JSON.parse(readFileSync(credentialsFile, 'utf8'));
    state['observability/logs/opensearch-admin-password'] = 'a-rotated-admin-password';
    writeFileSync(credentialsFile, JSON.stringify(state));
    const after = internalUsers(synthToDir({ credentials: new FileCredentialStore({ path: credentialsFile }) }).files);
    expect(after).not.toBe(before);
    const line = (text: string, user: string) => text.split('\n')[text.split('\n').indexOf(`${user}:`) + 1];
    expect(line(after, 'kibanaserver')).toBe(line(before, 'kibanaserver'));
    expect(line(after, 'admin')).not.toBe(line(before, 'admin'));
  });
});

describe('no password in a ConfigMap, anywhere in the stack', () => {
  const given = { adminPassword: 'given-admin-password-1', dashboardsPassword: 'given-dashboards-password-2' };
  const { objects } = synthStack({ openSearch: { users: given }, prometheusStack: { grafana: { adminPassword: 'given-grafana-password-3' } } });
  const passwords = [
    ...Object.values(given),
    'given-grafana-password-3',
    ...ofKind(objects, 'Secret').flatMap((s) => Object.entries({ ...s.stringData }).filter(([k]) => /password/i.test(k)).map(([, v]) => String(v))),
  ];

  it('knows the passwords it looks for: the given ones and the generated log writer and reader ones', () => {
    const generated = ofKind(objects, 'Secret')
      .filter((s) => /log-(writer|reader)-credentials$/.test(s.metadata.name))
      .map((s) => s.stringData.password as string);
    expect(generated).toHaveLength(2);
    expect(new Set(passwords)).toEqual(new Set([...Object.values(given), 'given-grafana-password-3', ...generated]));
  });

  it('no ConfigMap (dashboards, the operators\' configuration, ...) contains any of them', () => {
    const configMaps = ofKind(objects, 'ConfigMap');
    expect(configMaps.length).toBeGreaterThan(0);
    for (const configMap of configMaps) {
      const text = JSON.stringify({ ...configMap.data, ...configMap.binaryData });
      for (const password of passwords) expect(text.includes(password), `${configMap.metadata.name} holds a password`).toBe(false);
    }
  });

  it('no custom resource or chart values carry them either: the log path refers to Secrets', () => {
    const text = JSON.stringify(objects.filter((o) => o.kind !== 'Secret'));
    for (const password of passwords) expect(text.includes(password)).toBe(false);
  });

  it('"admin" is nowhere a password', () => {
    const offenders: string[] = [];
    const walk = (value: unknown, path: string) => {
      if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
      else if (/passw(or)?d/i.test(path.split('.').pop() ?? '') && value === 'admin') offenders.push(path);
    };
    objects.forEach((o, i) => walk(o, `${o.kind}/${o.metadata.name}#${i}`));
    expect(offenders).toEqual([]);
    expect(passwords).not.toContain('admin');
  });
});
