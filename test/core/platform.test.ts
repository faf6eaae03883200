/**
 * The `platform` setting on the synthesized objects: which control-plane targets (and so which of their rules)
 * kube-prometheus-stack keeps, where dcgm-exporter runs, and that Neuron is refused where there is none.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM, PLATFORMS, type Platform } from '../../src/core/platform.js';
import { CONTROL_PLANE_COMPONENTS } from '../../src/prometheus/prometheus-stack.js';
import { DEFAULT_GPU_NODE_SELECTOR_TERMS, DEFAULT_GPU_TOLERATIONS } from '../../src/gpu/dcgm-exporter.js';
import { NEURON_INSTANCE_TYPES, NEURON_TAINT_KEY } from '../../src/gpu/neuron-monitor.js';
import { PropError } from '../../src/core/prop-error.js';
import { configToProps } from '../../src/config/config-schema.js';
import { ConfigFileError, parseConfig } from '../../src/config/load-config.js';
import { configProblems } from '../support/config.js';
import { helmReleaseValues, ofKind, synthStack, type K8sObject } from '../support/synth.js';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const KPS_VALUES = parse(readFileSync(new URL('../../../shared/helm-values/kube-prometheus-stack-88.5.3.values.yaml', import.meta.url), 'utf8')) as Record<string, any>;

function stack(platform?: Platform, neuron = false) {
  const { chart, objects } = synthStack({ ...(platform ? { platform } : {}), ...(neuron ? { gpuExporters: { neuron: { enabled: true } } } : {}) });
  return { chart, objects, kps: helmReleaseValues(objects, chart.prometheusStack!.releaseName), dcgm: helmReleaseValues(objects, 'dcgm-exporter') };
}
const terms = (values: Record<string, any>) => values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms as { matchExpressions: { key: string; operator: string; values?: string[] }[] }[];
const keysOf = (values: Record<string, any>) => terms(values).flatMap((t) => t.matchExpressions.map((e) => `${e.key} ${e.operator} ${(e.values ?? []).join(',')}`.trim()));
const neuronDaemonSet = (objects: K8sObject[]) => ofKind(objects, 'DaemonSet').find((d) => d.metadata.name === 'neuron-monitor')!;

describe('platform: the control plane kube-prometheus-stack scrapes', () => {
  it('uses values keys kube-prometheus-stack 88.5.3 has, each on by default in the chart', () => {
    for (const component of CONTROL_PLANE_COMPONENTS) expect(KPS_VALUES[component]?.enabled, component).toBe(true);
  });

  it('defaults to generic, which keeps the chart\'s control-plane targets and their rules', () => {
    expect(DEFAULT_PLATFORM).toBe('generic');
    const { chart, kps } = stack();
    expect(chart.prometheusStack!.platform).toBe('generic');
    for (const component of CONTROL_PLANE_COMPONENTS) expect(kps[component], component).toBeUndefined();
    expect(chart.prometheusStack!.scrapedControlPlane).toEqual(CONTROL_PLANE_COMPONENTS);
  });

  it.each(['eks', 'gke', 'aks'] as const)('turns off kube-scheduler, kube-controller-manager, etcd and kube-proxy on %s (their ServiceMonitors and rules go with them)', (platform) => {
    const { chart, kps } = stack(platform);
    expect(Object.fromEntries(CONTROL_PLANE_COMPONENTS.map((c) => [c, kps[c]]))).toEqual({
      kubeScheduler: { enabled: false },
      kubeControllerManager: { enabled: false },
      kubeEtcd: { enabled: false },
      kubeProxy: { enabled: false },
    });
    expect(chart.prometheusStack!.scrapedControlPlane).toEqual([]);
    // the API server and the kubelets stay: managed platforms expose them
    expect(kps.kubeApiServer).toBeUndefined();
    expect(kps.kubelet).toBeUndefined();
  });

  it('lets chart values override the platform for one component', () => {
    const { chart, objects } = synthStack({ platform: 'eks', chartValues: { 'kube-prometheus-stack': { kubeProxy: { enabled: true } } } });
    const kps = helmReleaseValues(objects, chart.prometheusStack!.releaseName);
    expect(kps.kubeProxy).toEqual({ enabled: true });
    expect(kps.kubeScheduler).toEqual({ enabled: false });
  });
});

describe('platform: where the GPU exporter runs', () => {
  it('keeps the generic labels and taint by default', () => {
    const { dcgm } = stack();
    expect(terms(dcgm)).toEqual(DEFAULT_GPU_NODE_SELECTOR_TERMS);
    expect(dcgm.tolerations).toEqual(DEFAULT_GPU_TOLERATIONS);
  });

  it('eks: Auto Mode, Karpenter, GFD and NFD GPU labels; the nvidia.com/gpu taint', () => {
    const { dcgm } = stack('eks');
    expect(keysOf(dcgm)).toEqual([
      'eks.amazonaws.com/instance-gpu-manufacturer In nvidia',
      'karpenter.k8s.aws/instance-gpu-manufacturer In nvidia',
      'nvidia.com/gpu.present In true',
      'feature.node.kubernetes.io/pci-10de.present In true',
    ]);
    expect(dcgm.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists' }]);
  });

  it('gke: the cloud.google.com/gke-accelerator label; the nvidia.com/gpu=present taint GKE adds', () => {
    const { dcgm } = stack('gke');
    expect(keysOf(dcgm)).toEqual(['cloud.google.com/gke-accelerator Exists']);
    expect(dcgm.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists' }]);
  });

  it('aks: the kubernetes.azure.com/accelerator=nvidia label (and GFD\'s); the sku=gpu taint AKS documents, and nvidia.com/gpu', () => {
    const { dcgm } = stack('aks');
    expect(keysOf(dcgm)).toEqual(['kubernetes.azure.com/accelerator In nvidia', 'nvidia.com/gpu.present In true']);
    expect(dcgm.tolerations).toEqual([
      { key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
      { key: 'nvidia.com/gpu', operator: 'Exists' },
    ]);
  });

  it('explicit node selector terms and tolerations win over the platform\'s', () => {
    const own = [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['gpu'] }] }];
    const { objects } = synthStack({ platform: 'gke', gpuExporters: { dcgm: { nodeSelectorTerms: own, tolerations: [] } } });
    const dcgm = helmReleaseValues(objects, 'dcgm-exporter');
    expect(terms(dcgm)).toEqual(own);
    expect(dcgm.tolerations).toEqual([]);
  });
});

describe('platform: Neuron', () => {
  it.each(['eks', 'generic'] as const)('runs neuron-monitor on %s on the Neuron instance types, tolerating the Neuron taint', (platform) => {
    const ds = neuronDaemonSet(stack(platform, true).objects);
    const spec = ds.spec.template.spec;
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values).toEqual(NEURON_INSTANCE_TYPES);
    expect(spec.tolerations).toEqual([{ key: NEURON_TAINT_KEY, operator: 'Exists' }]);
  });

  it.each(['gke', 'aks'] as const)('refuses neuron-monitor on %s, naming the keys to change', (platform) => {
    expect(() => stack(platform, true)).toThrow(PropError);
    expect(() => stack(platform, true)).toThrow(new RegExp(`gpuExporters\\.neuron\\.enabled: Neuron devices .* not on platform '${platform}'.*eks or generic`));
  });
});

describe('platform: config key', () => {
  it('maps platform onto the chart, which defaults it', () => {
    expect(configToProps(parseConfig('{}')).platform).toBeUndefined();
    expect(configToProps(parseConfig('platform: aks\n')).platform).toBe('aks');
  });

  it('names the key and the allowed values for a platform it does not know', () => {
    expect(() => parseConfig('platform: gcp\n')).toThrow(ConfigFileError);
    const message = (() => {
      try {
        parseConfig('platform: gcp\n');
      } catch (error) {
        return String((error as Error).message);
      }
      return '';
    })();
    expect(message).toMatch(/platform/);
    for (const p of PLATFORMS) expect(message).toContain(p);
  });

  it('names exporters.neuron.enabled and platform when Neuron is asked for on GKE', () => {
    const problems = configProblems('platform: gke\nexporters:\n  neuron:\n    enabled: true\n');
    expect(problems).toEqual([expect.stringMatching(/^exporters\.neuron\.enabled: .*platform.*'gke'/)]);
  });

  it('refuses a platform the chart does not know when set through props', () => {
    expect(() => synthStack({ platform: 'openshift' as Platform })).toThrow(/platform: .*eks.*gke.*aks.*generic/);
  });
});
