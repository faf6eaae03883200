import { createHash } from 'node:crypto';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_DCGM_FIELDS, dcgmCountersCsv, dcgmSeriesPerGpu } from '../../src/gpu/dcgm-fields.js';
import { COUNTERS_CHECKSUM_ANNOTATION, GPU_OPERATOR_DCGM_EXPORTER } from '../../src/gpu/dcgm-exporter.js';
import { UPSTREAM_CHARTS } from '../../src/core/upstream-chart.js';
import { GpuExporters } from '../../src/gpu/gpu-exporters.js';
import { DCGM_METRICS } from '../../src/gpu/dcgm-metrics.js';
import { TARGET_LABELS } from '../../src/core/metric-names.js';
import { NEURON_MONITOR_IMAGE } from '../../src/gpu/neuron-monitor.js';
import { dcgmCsvRows, DCGM_CSV_FILES } from '../support/promql.js';
import { helmReleaseValues, type K8sObject, ofKind, one, synthStack } from '../support/synth.js';

const SELECTOR = { release: 'kube-prometheus-stack' };

/** Evaluates an anchored Prometheus regex (RE2 subset used here is JS-compatible). */
const promRegex = (regex: string) => new RegExp(`^(?:${regex})$`);

function endpointOf(monitor: K8sObject) {
  return (monitor.spec.endpoints ?? monitor.spec.podMetricsEndpoints)[0];
}

describe('dcgm-exporter (default: on, deploy mode)', () => {
  const { objects } = synthStack();
  const values = helmReleaseValues(objects, 'dcgm-exporter');
  const configMap = one(objects, 'ConfigMap', 'dcgm-exporter-counters');
  const monitor = one(objects, 'ServiceMonitor', 'dcgm-exporter');

  it('delivers the pinned dcgm-exporter chart through the delivery layer', () => {
    const release = one(objects, 'HelmRelease', 'dcgm-exporter');
    expect(release.spec.chart.spec.version).toBe(UPSTREAM_CHARTS['dcgm-exporter'].version);
    expect(release.spec.chart.spec.chart).toBe('dcgm-exporter');
  });

  it('makes the exporter read our counters CSV from our ConfigMap', () => {
    expect(configMap.data['counters.csv']).toBe(dcgmCountersCsv(DEFAULT_DCGM_FIELDS));
    const [flag, path] = values.arguments;
    expect(flag).toBe('-f');
    const mount = values.extraVolumeMounts.find((m: any) => m.mountPath === path);
    const volume = values.extraConfigMapVolumes.find((v: any) => v.name === mount.name);
    expect(volume.configMap.name).toBe(configMap.metadata.name);
    expect(volume.configMap.items).toEqual([{ key: 'counters.csv', path: mount.subPath }]);
  });

  it('collects the profiling, health and throttling fields the dashboards and alerts read', () => {
    const csvFields = configMap.data['counters.csv'].split('\n').filter((l: string) => l && !l.startsWith('#')).map((l: string) => l.split(',')[0]);
    expect(csvFields).toEqual(
      expect.arrayContaining([
        DCGM_METRICS.PROF_SM_ACTIVE, DCGM_METRICS.PROF_SM_OCCUPANCY, DCGM_METRICS.PROF_PIPE_TENSOR_ACTIVE, DCGM_METRICS.PROF_DRAM_ACTIVE,
        DCGM_METRICS.PROF_PCIE_TX_BYTES, DCGM_METRICS.PROF_PCIE_RX_BYTES, DCGM_METRICS.NVLINK_BANDWIDTH_TOTAL,
        DCGM_METRICS.GPU_UTIL, DCGM_METRICS.FB_USED, DCGM_METRICS.FB_FREE, DCGM_METRICS.POWER_USAGE, DCGM_METRICS.GPU_TEMP,
        DCGM_METRICS.CLOCK_EVENTS_COUNT, DCGM_METRICS.THERMAL_VIOLATION, DCGM_METRICS.POWER_VIOLATION,
        DCGM_METRICS.XID_ERRORS, DCGM_METRICS.XID_ERRORS_COUNT, DCGM_METRICS.ECC_DBE_VOL_TOTAL, DCGM_METRICS.ECC_SBE_VOL_TOTAL,
      ]),
    );
  });

  it('every field is a real dcgm-exporter 4.8.2 field with the type its CSV gives, and none is a label field', () => {
    const rows = DCGM_CSV_FILES.flatMap((f) => dcgmCsvRows(f));
    for (const field of DEFAULT_DCGM_FIELDS) {
      const types = rows.filter((r) => r.field === field.field).map((r) => r.type);
      expect(types.length, field.field).toBeGreaterThan(0);
      expect(types, field.field).toContain(field.type);
      expect(types, field.field).not.toContain('label');
      expect(field.help, field.field).not.toContain(',');
    }
  });

  it('keeps the series-per-GPU budget: 26 fixed series, and drops every series not in the field list', () => {
    expect(dcgmSeriesPerGpu(DEFAULT_DCGM_FIELDS)).toBe(26);
    const keep = endpointOf(monitor).metricRelabelings.find((r: any) => r.action === 'keep');
    expect(keep.sourceLabels).toEqual(['__name__']);
    const regex = promRegex(keep.regex);
    for (const field of DEFAULT_DCGM_FIELDS) expect(regex.test(field.field), field.field).toBe(true);
    for (const unused of [DCGM_METRICS.ENC_UTIL, DCGM_METRICS.DEC_UTIL, DCGM_METRICS.FB_RESERVED, DCGM_METRICS.VGPU_LICENSE_STATUS, 'DCGM_FI_DEV_GPU_UTIL_X']) {
      expect(regex.test(unused), unused).toBe(false);
    }
  });

  it('runs only on GPU nodes and tolerates the nvidia.com/gpu taint', () => {
    const terms = values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(terms).toContainEqual({ matchExpressions: [{ key: 'nvidia.com/gpu.present', operator: 'In', values: ['true'] }] });
    expect(values.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists' }]);
    expect(Object.keys(values.resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(Object.keys(values.resources.limits).sort()).toEqual(['cpu', 'memory']);
  });

  it('keeps Kubernetes pod mapping on (the chart sets DCGM_EXPORTER_KUBERNETES=true; we never override it)', () => {
    expect(JSON.stringify(values.extraEnv ?? [])).not.toContain('DCGM_EXPORTER_KUBERNETES');
    expect(values.kubernetes.enablePodLabels).toBe(false);
  });

  it('scrapes it with a ServiceMonitor Prometheus selects, keeping the workload pod labels and adding node', () => {
    expect(monitor.metadata.labels).toMatchObject(SELECTOR);
    expect(monitor.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'dcgm-exporter', 'app.kubernetes.io/instance': 'dcgm-exporter' });
    const endpoint = endpointOf(monitor);
    expect(endpoint.port).toBe('metrics');
    expect(endpoint.honorLabels).toBe(true);
    const drop = endpoint.relabelings.find((r: any) => r.action === 'labeldrop');
    for (const label of ['pod', 'namespace', 'container']) expect(promRegex(drop.regex).test(label), label).toBe(true);
    expect(promRegex(drop.regex).test('node')).toBe(false);
    expect(endpoint.relabelings).toContainEqual({ action: 'replace', sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: TARGET_LABELS.NODE });
    expect(values.serviceMonitor.enabled).toBe(false);
  });

  it('rolls the exporter pods when the field list changes: the pod template carries the CSV digest', () => {
    const annotation = (fields?: typeof DEFAULT_DCGM_FIELDS) => {
      const pods = helmReleaseValues(synthStack(fields ? { gpuExporters: { dcgm: { fields } } } : {}).objects, 'dcgm-exporter').podAnnotations;
      return pods[COUNTERS_CHECKSUM_ANNOTATION] as string;
    };
    const csv = configMap.data['counters.csv'] as string;
    expect(annotation()).toBe(createHash('sha256').update(csv).digest('hex'));
    expect(annotation()).toBe(annotation());
    expect(annotation(DEFAULT_DCGM_FIELDS.slice(1))).not.toBe(annotation());
  });

  it('is the CSV dcgm-exporter can parse: field, type, help on every non-comment line', () => {
    const csv: string = configMap.data['counters.csv'];
    for (const line of csv.split('\n').filter((l) => l && !l.startsWith('#'))) expect(line.split(',').length, line).toBe(3);
    expect(parse(`x: ${JSON.stringify(csv)}`).x).toBe(csv);
  });
});

describe('dcgm-exporter, existing mode and off', () => {
  it('existing: no chart, no ConfigMap; a ServiceMonitor on the GPU operator Service nvidia-dcgm-exporter, port gpu-metrics', () => {
    const { objects } = synthStack({ gpuExporters: { dcgm: { mode: 'existing' } } });
    expect(ofKind(objects, 'HelmRelease', 'dcgm-exporter')).toEqual([]);
    expect(ofKind(objects, 'ConfigMap', 'dcgm-exporter-counters')).toEqual([]);
    const monitor = one(objects, 'ServiceMonitor', 'dcgm-exporter');
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['gpu-operator'] });
    expect(monitor.spec.selector.matchLabels).toEqual({ app: 'nvidia-dcgm-exporter' });
    expect(endpointOf(monitor).port).toBe('gpu-metrics');
    expect(GPU_OPERATOR_DCGM_EXPORTER.portName).toBe('gpu-metrics');
  });

  it('existing elsewhere: the namespace and labels are props', () => {
    const { objects } = synthStack({
      gpuExporters: { dcgm: { mode: 'existing', existing: { namespace: 'nvidia', selectorLabels: { app: 'dcgm' }, portName: 'http' } } },
    });
    const monitor = one(objects, 'ServiceMonitor', 'dcgm-exporter');
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['nvidia'] });
    expect(endpointOf(monitor).port).toBe('http');
  });

  it('off: nothing of dcgm-exporter is emitted', () => {
    const { objects } = synthStack({ gpuExporters: { dcgm: { enabled: false } } });
    expect(objects.filter((o) => o.metadata.name.startsWith('dcgm-exporter'))).toEqual([]);
  });

  it('rejects an unknown mode naming the field and the allowed values', () => {
    expect(() => synthStack({ gpuExporters: { dcgm: { mode: 'sidecar' as any } } })).toThrow(/gpuExporters\.dcgm\.mode: "sidecar" is not allowed; allowed: deploy, existing/);
  });
});

describe('neuron-monitor (default: off)', () => {
  it('is off by default', () => {
    const { objects } = synthStack();
    expect(objects.filter((o) => o.metadata.name === 'neuron-monitor')).toEqual([]);
  });

  it('deploy: a DaemonSet running neuron-monitor | neuron-monitor-prometheus.py on Neuron nodes, scraped by a PodMonitor', () => {
    const { objects } = synthStack({ gpuExporters: { neuron: { enabled: true } } });
    const ds = one(objects, 'DaemonSet', 'neuron-monitor');
    const pod = ds.spec.template.spec;
    const [container] = pod.containers;
    expect(container.image).toBe(NEURON_MONITOR_IMAGE);
    expect(container.command.join(' ')).toContain('neuron-monitor | neuron-monitor-prometheus.py --port 8000');
    expect(container.ports).toEqual([{ name: 'metrics', containerPort: 8000, protocol: 'TCP' }]);
    expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(Object.keys(container.resources.limits).sort()).toEqual(['cpu', 'memory']);
    expect(pod.tolerations).toEqual([{ key: 'aws.amazon.com/neuron', operator: 'Exists' }]);
    const [term] = pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(term.matchExpressions[0].key).toBe('node.kubernetes.io/instance-type');
    expect(term.matchExpressions[0].values).toEqual(expect.arrayContaining(['inf2.xlarge', 'trn1.32xlarge']));
    const monitor = one(objects, 'PodMonitor', 'neuron-monitor');
    expect(monitor.metadata.labels).toMatchObject(SELECTOR);
    expect(monitor.spec.selector.matchLabels).toEqual(ds.spec.selector.matchLabels);
    expect(endpointOf(monitor).port).toBe('metrics');
    expect(endpointOf(monitor).relabelings).toContainEqual({ action: 'replace', sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' });
  });

  it('the image is overridable', () => {
    const { objects } = synthStack({ gpuExporters: { neuron: { enabled: true, image: 'registry.example/neuron-monitor:2.0' } } });
    expect(one(objects, 'DaemonSet', 'neuron-monitor').spec.template.spec.containers[0].image).toBe('registry.example/neuron-monitor:2.0');
  });

  it("existing: a PodMonitor on AWS's documented DaemonSet (namespace neuron-monitor, app=neuron-monitor, port 8000)", () => {
    const { objects } = synthStack({ gpuExporters: { neuron: { enabled: true, mode: 'existing' } } });
    expect(ofKind(objects, 'DaemonSet', 'neuron-monitor')).toEqual([]);
    const monitor = one(objects, 'PodMonitor', 'neuron-monitor');
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['neuron-monitor'] });
    expect(monitor.spec.selector.matchLabels).toEqual({ app: 'neuron-monitor' });
    expect(endpointOf(monitor).portNumber).toBe(8000);
  });
});

describe('GpuExporters on its own (outside ObservabilityChart)', () => {
  it('works with any PrometheusTarget and delivery', () => {
    const chart = Testing.chart();
    const delivered: string[] = [];
    new GpuExporters(chart, 'gpu', {
      prometheus: { prometheusNamespace: 'mon', prometheusServiceName: 'prom', prometheusPort: 9090, prometheusUrl: 'http://prom.mon:9090', monitorSelectorLabels: { team: 'ml' } },
      delivery: { mode: 'external', deliver: (_scope, _id, release) => void delivered.push(release.releaseName) },
      namespace: 'gpu',
    });
    const objects = Testing.synth(chart) as K8sObject[];
    expect(delivered).toEqual(['dcgm-exporter']);
    expect(one(objects, 'ServiceMonitor', 'dcgm-exporter').metadata).toMatchObject({ namespace: 'gpu', labels: { team: 'ml' } });
  });
});
