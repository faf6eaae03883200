/**
 * The agent's live environment (test code): the real-Prometheus proof environment on the sick day (the telemetry
 * fixture scraped by a real Prometheus through the synthesized monitors, with the library's rules and 15 minutes of
 * backfilled history), a real Prometheus MCP server from npm (prometheus-mcp) in front of it, and the real
 * kubernetes-mcp-server binary from npm (the release of the image we deploy) in front of a stand-in Kubernetes API
 * server serving the same cluster. Everything listens on 127.0.0.1.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MCP_SERVER_IMAGES } from '../../../../src/mcp/mcp-images.js';
import { freePort, sleep } from '../../../prometheus/support/prometheus-runner.js';
import { ProofEnvironment } from '../../../prometheus/support/proof-env.js';
import { synthesizeStack } from '../../../prometheus/support/stack.js';
import { startKubeApiStandIn, type KubeApiStandIn } from '../../support/kube-api-standin.js';
import { mcpProps, synthMcp } from '../../../support/mcp.js';
import { ChildServer } from './child-server.js';

const require = createRequire(import.meta.url);
const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

/** The npm packages of the servers, and the versions installed. */
export function serverPackages(): { prometheusMcp: string; kubernetesMcp: string } {
  const version = (pkg: string) => (require(`${pkg}/package.json`) as { version: string }).version;
  return { prometheusMcp: version('prometheus-mcp'), kubernetesMcp: version('kubernetes-mcp-server') };
}

/** The image tag of the Kubernetes MCP server we deploy (`v0.0.66` -> `0.0.66`). */
export function deployedKubernetesMcpVersion(): string {
  return MCP_SERVER_IMAGES.kubernetes.split(':').pop()!.replace(/^v/, '');
}

/**
 * The arguments the KubernetesMcpServer construct gives the server by default (read from its synthesized Deployment),
 * with the port replaced and its config file (from the synthesized ConfigMap) written into `workDir`: what runs in
 * the test is what we deploy, plus `--kubeconfig` and a loopback bind.
 */
export function deployedKubernetesMcpArgs(port: number, workDir: string): string[] {
  const { objects } = synthMcp(mcpProps({ prometheus: { enabled: false }, opensearch: { enabled: false } }));
  const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'kubernetes-mcp-server');
  const args = [...((deployment?.spec?.template?.spec?.containers?.[0]?.args ?? []) as string[])];
  const at = args.indexOf('--port');
  const config = args.indexOf('--config');
  if (at < 0 || config < 0 || !args.includes('--read-only')) throw new Error(`unexpected kubernetes-mcp-server args: ${JSON.stringify(args)}`);
  args[at + 1] = String(port);
  const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'kubernetes-mcp-server-config');
  const file = args[config + 1]!.split('/').pop()!;
  args[config + 1] = join(workDir, file);
  writeFileSync(args[config + 1]!, configMap!.data[file]);
  return args;
}

export class AgentLiveEnvironment {
  private constructor(
    public readonly proof: ProofEnvironment,
    public readonly prometheusMcp: ChildServer,
    public readonly prometheusMcpUrl: string,
    public readonly kubeApi: KubeApiStandIn,
    public readonly kubernetesMcp: ChildServer,
    public readonly kubernetesMcpUrl: string,
    private readonly workDir: string,
  ) {}

  static async start(log: (m: string) => void = () => undefined): Promise<AgentLiveEnvironment> {
    const stack = synthesizeStack();
    const proof = await ProofEnvironment.start(stack, {
      scenario: 'sick',
      gpuNodes: 3,
      gpusPerNode: 4,
      scrapeInterval: '1s',
      evaluationInterval: '1s',
      forOverride: '2s',
      // the sick day's events sit up to 27 minutes back (fixture TIMELINE)
      history: { seconds: 1800, stepSeconds: 15, ruleEvalInterval: '15s' },
      log,
    });
    const workDir = mkdtempSync(join(tmpdir(), 'agent-live-'));
    const started: { stop(): Promise<void> }[] = [];
    try {
      await proof.waitForTargetsUp(30_000);
      const promPort = await freePort();
      const prometheusMcp = await ChildServer.start(
        'prometheus-mcp',
        process.execPath,
        ['--import', join(REPO, 'test/agent/live/support/loopback-listen.mjs'), require.resolve('prometheus-mcp/dist/index.mjs'), 'http', '--port', String(promPort)],
        { env: { PROMETHEUS_URL: proof.prometheus!.url, LOG_LEVEL: 'warn' }, healthUrl: `http://127.0.0.1:${promPort}/healthy` },
      );
      started.push(prometheusMcp);
      const kubeApi = await startKubeApiStandIn(proof.cluster!);
      started.push(kubeApi);
      const kubeconfig = join(workDir, 'kubeconfig');
      writeFileSync(
        kubeconfig,
        `apiVersion: v1\nkind: Config\nclusters: [{name: stand-in, cluster: {server: "${kubeApi.url}"}}]\nusers: [{name: agent, user: {token: stand-in}}]\n` +
          'contexts: [{name: stand-in, context: {cluster: stand-in, user: agent}}]\ncurrent-context: stand-in\n',
      );
      const kubePort = await freePort();
      const kubernetesMcp = await ChildServer.start(
        'kubernetes-mcp-server',
        join(REPO, 'node_modules/.bin/kubernetes-mcp-server'),
        [...deployedKubernetesMcpArgs(kubePort, workDir), '--kubeconfig', kubeconfig, '--bind-address', '127.0.0.1'],
        { healthUrl: `http://127.0.0.1:${kubePort}/healthz` },
      );
      started.push(kubernetesMcp);
      // let the rules evaluate on live data (the test's `for:` is 2s, evaluation every second)
      await sleep(10_000);
      return new AgentLiveEnvironment(proof, prometheusMcp, `http://127.0.0.1:${promPort}/mcp`, kubeApi, kubernetesMcp, `http://127.0.0.1:${kubePort}/mcp`, workDir);
    } catch (error) {
      await Promise.allSettled(started.map((s) => s.stop()));
      await proof.stop();
      rmSync(workDir, { recursive: true, force: true });
      throw error;
    }
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.prometheusMcp.stop(), this.kubernetesMcp.stop(), this.kubeApi.stop()]);
    await this.proof.stop();
    rmSync(this.workDir, { recursive: true, force: true });
  }
}
