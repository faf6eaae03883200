import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { describePropIssue, PropError } from '../src/core/prop-error.js';
import { DEFAULT_CREDENTIALS_FILE, MemoryCredentialStore } from '../src/core/credential-store.js';
import { HelmDelivery } from '../src/delivery/helm-delivery.js';
import { ObservabilityChart } from '../src/observability-chart.js';
import { ofKind, one, synthStack } from './support/synth.js';

describe('ObservabilityChart', () => {
  it('puts the namespace, secrets and upstream charts in the setup chart, which the main chart depends on', () => {
    const { chart } = synthStack();
    const setupKinds = chart.setupChart.toJson().map((o: any) => o.kind);
    expect(setupKinds[0]).toBe('Namespace');
    expect(setupKinds).toContain('HelmRelease');
    expect(chart.node.dependencies).toContain(chart.setupChart);
  });

  it('creates the namespaces it deploys into: its own, and the node agents\' beside it', () => {
    const { objects } = synthStack({ namespace: 'gpu-obs' });
    one(objects, 'Namespace', 'gpu-obs');
    one(objects, 'Namespace', 'gpu-obs-node-agents');
    const releases = ofKind(objects, 'HelmRelease');
    expect(releases.length).toBeGreaterThan(0);
    // dcgm-exporter is a node agent (host path, SYS_ADMIN); every other chart runs in the stack's namespace.
    for (const release of releases) expect(release.metadata.namespace, release.metadata.name).toBe(release.metadata.name === 'dcgm-exporter' ? 'gpu-obs-node-agents' : 'gpu-obs');
  });

  it('names the node agents\' namespace as asked, and refuses a default that would be too long', () => {
    const { objects } = synthStack({ namespace: 'gpu-obs', nodeAgentsNamespace: 'gpu-agents' });
    expect(ofKind(objects, 'Namespace').map((n) => n.metadata.name).sort()).toEqual(['gpu-agents', 'gpu-obs']);
    expect(() => synthStack({ namespace: 'n'.repeat(60) })).toThrow(/nodeAgentsNamespace: the default, "n{60}-node-agents", is longer than the 63 characters/);
    expect(() => synthStack({ nodeAgentsNamespace: 'Agents' })).toThrow(/nodeAgentsNamespace: "Agents" is not allowed: must be a DNS label/);
  });
});

describe('constructing the stack has no side effects', () => {
  /**
   * Runs `build` and returns whether it left the working directory's default credentials file as it was (the file
   * FileCredentialStore writes, `.aiml-observability/credentials.json`). Workers cannot chdir, so the check is on
   * the real working directory: absent before means absent after; present means untouched.
   */
  function leavesWorkingDirectoryAlone(build: () => void): boolean {
    const file = join(process.cwd(), DEFAULT_CREDENTIALS_FILE);
    const snapshot = () => (existsSync(file) ? `${statSync(file).mtimeMs}:${readFileSync(file, 'utf8')}` : 'absent');
    const before = snapshot();
    build();
    return snapshot() === before;
  }

  it('without a credential store: no file is written, and the error names the prop and what to set instead', () => {
    const app = () => Testing.app();
    const secretsElsewhere = { openSearch: { existingSecret: 'vault-logs' }, prometheusStack: { grafana: { existingSecret: 'grafana-admin' } } } as const;
    expect(leavesWorkingDirectoryAlone(() => new ObservabilityChart(app(), 'obs', { delivery: 'flux', ...secretsElsewhere }))).toBe(true);
    let message = '';
    expect(
      leavesWorkingDirectoryAlone(() => {
        try {
          new ObservabilityChart(app(), 'obs', { delivery: 'flux', openSearch: { existingSecret: 'vault-logs' } });
        } catch (error) {
          message = (error as Error).message;
        }
      }),
    ).toBe(true);
    expect(message).toMatch(/^prometheusStack\.credentials: is needed to generate the Grafana admin password .*pass a CredentialStore .*or set prometheusStack\.grafana\.adminPassword or prometheusStack\.grafana\.existingSecret$/);
  });

  it('choosing the helm delivery runs nothing: helm is looked for only when a chart is delivered', () => {
    const delivery = new HelmDelivery({ helmExecutable: '/nonexistent/helm' });
    expect(delivery.helmExecutable).toBe('/nonexistent/helm');
    expect(() => new ObservabilityChart(Testing.app(), 'obs', { delivery, openSearch: { enabled: false }, fluentBit: { enabled: false }, prometheusStack: { enabled: false }, credentials: new MemoryCredentialStore() })).not.toThrow();
    expect(() => synthStack({ delivery })).toThrow(/no '\/nonexistent\/helm' executable was found/);
  });
});

describe('bad props', () => {
  const problems = (props: Parameters<typeof synthStack>[0]) => {
    try {
      synthStack(props);
    } catch (error) {
      expect(error).toBeInstanceOf(PropError);
      return (error as PropError).issues.map((issue) => describePropIssue(issue));
    }
    return [];
  };

  it('names a component prop by its path from the chart props, and says what is allowed', () => {
    expect(problems({ openSearch: { nodes: { replicas: 2.5 } } })).toEqual(['openSearch.nodes.replicas: 2.5 is not allowed: must be a whole number from 1 to 100']);
    expect(problems({ deliveryOptions: { flux: { interval: '30 minutes' } } })).toEqual([
      'deliveryOptions.flux.interval: "30 minutes" is not allowed: must be a duration such as 30m, 1h or 1h30m (more than 0)',
    ]);
    expect(problems({ delivery: 'argocd', deliveryOptions: { argocd: { project: 'Bad Project!' } } })[0]).toMatch(/^deliveryOptions\.argocd\.project: "Bad Project!" is not allowed: must be an object name/);
    expect(problems({ clusterName: 'a\nb' })[0]).toMatch(/^clusterName: "a\\nb" is not allowed: must be a cluster name/);
    expect(problems({ namespace: 'Observability' })[0]).toMatch(/^namespace: "Observability" is not allowed: must be a DNS label/);
  });

  it('reports every combination that cannot work at once, each with the props to change', () => {
    expect(problems({ prometheusStack: { enabled: false }, openCost: { enabled: true }, gpuExporters: { neuron: { enabled: true } }, openSearch: { enabled: false } })).toEqual([
      'openCost.enabled: needs the Prometheus stack: set prometheusStack.enabled to true, or openCost.enabled to false',
      'gpuExporters.neuron.enabled: needs the Prometheus stack: set prometheusStack.enabled to true, or gpuExporters.neuron.enabled to false',
      'fluentBit.enabled: Fluent Bit needs somewhere to send the logs: set openSearch.enabled to true, set externalOpenSearch, or set fluentBit.enabled to false',
    ]);
  });
});
