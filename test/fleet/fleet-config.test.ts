import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_LABEL } from '../../src/core/cluster-label.js';
import { fleetSeriesNames, FLEET_RAW_SERIES } from '../../src/fleet/fleet-series.js';
import { REMOTE_WRITE_QUEUE_DEFAULTS } from '../../src/prometheus/remote-write.js';
import { CENTRAL_QUERY_DATASOURCE_FILE } from '../../src/prometheus/prometheus-stack.js';
import { LOG_FIELDS } from '../../src/logs/log-fields.js';
import { configProblems } from '../support/config.js';
import { kubeValidate } from '../support/kube-validate.js';
import { helmReleaseValues, ofKind, one, synthStack, type K8sObject, type StackProps } from '../support/synth.js';
import type { DeliveryMode } from '../../src/core/chart-delivery.js';
import { DOCUMENTED_VALUE_KEYS } from '../../src/delivery/documented-value-keys.js';
import { defaultValues, undeclaredPaths } from '../support/helm-values.js';

const AMP = 'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-0123/api/v1/remote_write';
const FLEET_CRDS = JSON.parse(readFileSync(join(import.meta.dirname, 'data', 'prometheus-operator-fleet-crds.json'), 'utf8')) as { crds: K8sObject[] };

const values = (props: StackProps) => helmReleaseValues(synthStack(props).objects, 'kube-prometheus-stack');

/**
 * The prometheusSpec fields we set for a fleet as the Prometheus (or PrometheusAgent) the chart renders from them,
 * validated strictly against prometheus-operator's own CRD schema of those fields.
 */
function validateSpec(kind: 'Prometheus' | 'PrometheusAgent', prometheusSpec: Record<string, any>) {
  const spec = Object.fromEntries(['externalLabels', 'remoteWrite', 'thanos'].filter((k) => k in prometheusSpec).map((k) => [k, prometheusSpec[k]]));
  // kube-prometheus-stack maps thanos.objectStorageConfig.existingSecret onto the CRD's SecretKeySelector.
  if (spec.thanos?.objectStorageConfig?.existingSecret) spec.thanos = { ...spec.thanos, objectStorageConfig: spec.thanos.objectStorageConfig.existingSecret };
  const object = { apiVersion: kind === 'Prometheus' ? 'monitoring.coreos.com/v1' : 'monitoring.coreos.com/v1alpha1', kind, metadata: { name: 'p', namespace: 'observability' }, spec };
  return kubeValidate([...FLEET_CRDS.crds, object]);
}

describe('cluster identity: one clusterName', () => {
  let objects: K8sObject[];
  beforeAll(() => {
    objects = synthStack({ clusterName: 'gpu-prod-use1' }).objects;
  });

  it('is the cluster external label of Prometheus, OpenCost\'s cluster id and the cluster field of every log record', () => {
    expect(helmReleaseValues(objects, 'kube-prometheus-stack').prometheus.prometheusSpec.externalLabels).toEqual({ [CLUSTER_LABEL]: 'gpu-prod-use1' });
    expect(helmReleaseValues(objects, 'opencost').opencost.exporter.defaultClusterId).toBe('gpu-prod-use1');
    const filters = ofKind(objects, 'ClusterFilter');
    expect(filters.length).toBeGreaterThanOrEqual(3);
    for (const filter of filters) {
      const sets = filter.spec.filters.flatMap((f: any) => f.modify?.rules ?? []).filter((r: any) => r.set);
      expect(sets, filter.metadata.name).toContainEqual({ set: { [LOG_FIELDS.cluster]: 'gpu-prod-use1' } });
    }
  });

  it('defaults to OpenCost\'s former default, and is required once series leave the cluster', () => {
    expect(values({}).prometheus.prometheusSpec.externalLabels).toEqual({ cluster: 'default-cluster' });
    expect(configProblems(`prometheus-stack:\n  remoteWrite:\n    - name: central\n      url: ${AMP}\n      sigv4:\n        region: us-east-1\n`)).toEqual([
      'clusterName: is required with prometheus-stack.remoteWrite: the series of every cluster meet in one store and carry its name as their cluster label; give each cluster its own',
    ]);
  });

  it('validates strictly as the Prometheus CRD field externalLabels', () => {
    expect(validateSpec('Prometheus', values({ clusterName: 'a' }).prometheus.prometheusSpec).invalid).toBe(0);
  });
});

describe('remote write', () => {
  it('renders SigV4 (region, role), bearer and basic auth from Secrets, queue defaults, as the CRD expects', () => {
    const spec = values({
      clusterName: 'a',
      prometheusStack: {
        remoteWrite: [
          { name: 'amp', url: AMP, sigv4: { region: 'us-east-1', roleArn: 'arn:aws:iam::123456789012:role/amp-writer' } },
          { name: 'mimir', url: 'https://mimir.example.com/api/v1/push', bearerTokenSecret: { name: 'mimir-token', key: 'token' }, send: 'all', queue: { maxShards: 10 } },
          { name: 'thanos', url: 'https://receive.example.com/api/v1/receive', basicAuthSecret: { name: 'receive-auth' } },
        ],
      },
    }).prometheus.prometheusSpec;
    const [amp, mimir, thanos] = spec.remoteWrite;
    expect(amp.sigv4).toEqual({ region: 'us-east-1', roleArn: 'arn:aws:iam::123456789012:role/amp-writer' });
    expect(amp.queueConfig).toEqual({ ...REMOTE_WRITE_QUEUE_DEFAULTS, retryOnRateLimit: true });
    expect(mimir.authorization).toEqual({ type: 'Bearer', credentials: { name: 'mimir-token', key: 'token' } });
    expect(mimir.queueConfig.maxShards).toBe(10);
    expect(mimir.writeRelabelConfigs).toBeUndefined();
    expect(thanos.basicAuth).toEqual({ username: { name: 'receive-auth', key: 'username' }, password: { name: 'receive-auth', key: 'password' } });
    const result = validateSpec('Prometheus', spec);
    expect(result.output).toMatch(/3 objects, 3 valid, 0 invalid/);
    // and it catches a field the CRD does not have
    expect(validateSpec('Prometheus', { remoteWrite: [{ url: AMP, sigv4: { region: 'x', role: 'y' } }] }).invalid).toBe(1);
  });

  it('the fleet preset keeps exactly the recorded series of this stack and the raw series the fleet views read', () => {
    const { objects } = synthStack({ clusterName: 'a', gpuExporters: { neuron: { enabled: true } }, prometheusStack: { remoteWrite: [{ name: 'c', url: AMP, sigv4: { region: 'us-east-1' } }] } });
    const [relabel] = helmReleaseValues(objects, 'kube-prometheus-stack').prometheus.prometheusSpec.remoteWrite[0].writeRelabelConfigs;
    expect(relabel).toMatchObject({ sourceLabels: ['__name__'], action: 'keep' });
    const keeps = new RegExp(`^(?:${relabel.regex})$`);
    const recorded = ofKind(objects, 'PrometheusRule').flatMap((r) => r.spec.groups.flatMap((g: any) => g.rules.filter((x: any) => x.record).map((x: any) => x.record as string)));
    expect(recorded.length).toBeGreaterThan(10);
    for (const name of recorded) expect(keeps.test(name), `${name} is recorded but the fleet preset drops it: add it to its component's *_RECORDS`).toBe(true);
    for (const name of FLEET_RAW_SERIES) expect(keeps.test(name)).toBe(true);
    for (const raw of ['DCGM_FI_DEV_GPU_UTIL', 'kube_pod_info', 'node_cpu_seconds_total', 'vllm:num_requests_running', 'ray_node_cpu_utilization']) expect(keeps.test(raw), raw).toBe(false);
    expect(fleetSeriesNames().filter((n) => !keeps.test(n))).toEqual([]);
  });

  it('names the key of each bad remote write, with what is allowed', () => {
    const base = 'clusterName: a\nprometheus-stack:\n  remoteWrite:\n';
    expect(configProblems(`${base}    - name: amp\n      url: ${AMP}\n      sigv4: {}\n`)).toEqual(['prometheus-stack.remoteWrite.0.sigv4.region: is required: give a string']);
    const problems = configProblems(
      `${base}    - name: amp\n      url: ftp://x\n      sigv4:\n        region: us-east-1\n      bearerTokenSecret:\n        name: t\n        key: token\n      send: some\n`,
    );
    expect(problems).toContain('prometheus-stack.remoteWrite.0.url: "ftp://x" is not allowed: must be an http:// or https:// URL');
    expect(problems).toContain('prometheus-stack.remoteWrite.0.send: "some" is not allowed; allowed: fleet, all');
    expect(configProblems(`${base}    - name: amp\n      url: ${AMP}\n      sigv4:\n        region: us-east-1\n      bearerTokenSecret:\n        name: t\n        key: token\n`)).toEqual([
      'prometheus-stack.remoteWrite.0.bearerTokenSecret: cannot be combined with prometheus-stack.remoteWrite.0.sigv4: a remote write authenticates one way',
    ]);
    expect(configProblems(`${base}    - name: a\n      url: ${AMP}\n    - name: a\n      url: ${AMP}\n`)).toEqual([
      "prometheus-stack.remoteWrite.1.name: 'a' names another remote write too: each needs its own name",
    ]);
  });
});

describe('leaf topology: agent mode and the central store', () => {
  const agentConfig = (extra = '') =>
    `clusterName: leaf-1\nalerts:\n  enabled: false\nopencost:\n  enabled: false\nprometheus-stack:\n  agentMode: true\n  remoteWrite:\n    - name: amp\n      url: ${AMP}\n      sigv4:\n        region: us-east-1\n  centralQuery:\n    url: https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-0123\n    sigv4Region: us-east-1\n${extra}`;

  it('an agent sends everything, runs no Alertmanager, and Grafana reads the central store with SigV4 under the same datasource uid', () => {
    expect(configProblems(agentConfig())).toEqual([]);
    const { objects } = synthStack({
      clusterName: 'leaf-1',
      alerts: { enabled: false },
      openCost: { enabled: false },
      prometheusStack: {
        agentMode: true,
        remoteWrite: [{ name: 'amp', url: AMP, sigv4: { region: 'us-east-1' } }],
        centralQuery: { url: 'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-0123', sigv4Region: 'us-east-1' },
      },
    });
    const v = helmReleaseValues(objects, 'kube-prometheus-stack');
    expect(v.prometheus.agentMode).toBe(true);
    expect(v.alertmanager.enabled).toBe(false);
    expect(v.prometheus.prometheusSpec.retention).toBeUndefined();
    expect(v.prometheus.prometheusSpec.remoteWrite[0].writeRelabelConfigs).toBeUndefined();
    expect(v.grafana.sidecar.datasources.defaultDatasourceEnabled).toBe(false);
    expect(v.grafana['grafana.ini']).toEqual({ auth: { sigv4_auth_enabled: true } });
    expect(validateSpec('PrometheusAgent', v.prometheus.prometheusSpec).invalid).toBe(0);
    const cm = one(objects, 'ConfigMap', 'kube-prometheus-stack-central-query-datasource');
    expect(cm.metadata.labels).toEqual({ grafana_datasource: '1', 'app.kubernetes.io/part-of': 'aiml-observability' });
    const [ds] = parseYaml(cm.data[CENTRAL_QUERY_DATASOURCE_FILE]).datasources;
    expect(ds).toMatchObject({
      uid: 'prometheus',
      type: 'prometheus',
      url: 'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-0123',
      jsonData: { sigV4Auth: true, sigV4AuthType: 'default', sigV4Region: 'us-east-1' },
    });
    expect(kubeValidate(objects).invalid).toBe(0);
  });

  it('names what agent mode leaves without a Prometheus server', () => {
    expect(configProblems(`clusterName: leaf-1\nprometheus-stack:\n  agentMode: true\n`)).toEqual([
      'alerts.enabled: cannot be on with prometheus-stack.agentMode (an agent evaluates no rules and answers no queries): its recording rules and alerts are evaluated by the Prometheus server; load them into the central store\'s ruler instead (docs/fleet.md); set alerts.enabled to false, or agentMode to false',
      "opencost.enabled: cannot be on with prometheus-stack.agentMode (an agent evaluates no rules and answers no queries): OpenCost reads the local Prometheus's query API; set opencost.enabled to false, or agentMode to false",
    ]);
    // The chart's own combinations first; then the stack's.
    expect(configProblems(`clusterName: leaf-1\nalerts:\n  enabled: false\nopencost:\n  enabled: false\nprometheus-stack:\n  agentMode: true\n`)).toEqual([
      'prometheus-stack.agentMode: an agent only forwards its series: add a prometheus-stack.remoteWrite destination, or set prometheus-stack.agentMode to false',
      'prometheus-stack.agentMode: an agent answers no queries: set prometheus-stack.centralQuery so Grafana reads the central store, or set prometheus-stack.agentMode to false',
    ]);
    expect(configProblems(agentConfig().replace('        region: us-east-1\n  centralQuery', '        region: us-east-1\n      send: fleet\n  centralQuery'))).toEqual([
      'prometheus-stack.remoteWrite.0.send: cannot be fleet in agent mode: the recording rules then run in the central store and need every raw series; use all, or set prometheus-stack.agentMode to false',
    ]);
  });
});

describe('Thanos sidecar', () => {
  it('uploads with the object storage configuration from a Secret and exposes the StoreAPI', () => {
    const v = values({ clusterName: 'a', prometheusStack: { thanosSidecar: { objectStorageSecret: { name: 'thanos-objstore', key: 'objstore.yml' } } } });
    expect(v.prometheus.thanosService).toEqual({ enabled: true });
    expect(v.prometheus.prometheusSpec.thanos).toEqual({ objectStorageConfig: { existingSecret: { name: 'thanos-objstore', key: 'objstore.yml' } } });
    expect(validateSpec('Prometheus', v.prometheus.prometheusSpec).invalid).toBe(0);
  });

  it('is refused in agent mode, naming both keys', () => {
    const problems = configProblems(
      `clusterName: a\nalerts:\n  enabled: false\nopencost:\n  enabled: false\nprometheus-stack:\n  agentMode: true\n  thanosSidecar:\n    objectStorageSecret:\n      name: s\n      key: k\n`,
    );
    expect(problems).toContain('prometheus-stack.thanosSidecar.objectStorageSecret: needs a Prometheus server (an agent keeps no blocks to upload): remove it, or set prometheus-stack.agentMode to false');
  });
});

describe('strict schema validation of every new object, in every delivery mode', () => {
  const leaf: StackProps = {
    clusterName: 'leaf-1',
    prometheusStack: {
      remoteWrite: [{ name: 'amp', url: AMP, sigv4: { region: 'us-east-1' } }],
      thanosSidecar: { objectStorageSecret: { name: 'thanos-objstore', key: 'objstore.yml' } },
    },
  };
  const agent: StackProps = {
    clusterName: 'leaf-2',
    alerts: { enabled: false },
    openCost: { enabled: false },
    prometheusStack: { agentMode: true, remoteWrite: [{ name: 'amp', url: AMP, sigv4: { region: 'us-east-1' } }], centralQuery: { url: 'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-0123', sigv4Region: 'us-east-1' } },
  };
  it.each<DeliveryMode>(['flux', 'argocd', 'external'])('%s: the leaf and the agent topologies, objects and Prometheus fields', (delivery) => {
    for (const [kind, props] of [['Prometheus', leaf], ['PrometheusAgent', agent]] as const) {
      const { chart, objects } = synthStack({ ...props, delivery });
      const result = kubeValidate(objects);
      expect(result.invalid, result.output).toBe(0);
      // The Prometheus / PrometheusAgent the chart renders from these values (whatever delivers the chart).
      const spec = (chart.prometheusStack!.release.values as any).prometheus.prometheusSpec;
      expect(validateSpec(kind, spec).invalid).toBe(0);
      // Every values key set for the fleet exists in kube-prometheus-stack's values.yaml, or is a documented subchart key.
      const documented = Object.keys(DOCUMENTED_VALUE_KEYS['kube-prometheus-stack'] ?? {});
      const unknown = undeclaredPaths(chart.prometheusStack!.release.values, defaultValues('kube-prometheus-stack')).filter(
        (path) => !documented.some((d) => path === d || path.startsWith(`${d}.`)),
      );
      expect(unknown).toEqual([]);
    }
  });
});
