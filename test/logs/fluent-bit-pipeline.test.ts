import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { createDelivery } from '../../src/delivery/create-delivery.js';
import {
  ACCELERATOR_TOLERATIONS,
  FLUENT_BIT_METRICS_PATH,
  FluentBitPipeline,
  type FluentBitPipelineProps,
  LOG_TAG_REGEX,
} from '../../src/logs/fluent-bit/fluent-bit-pipeline.js';
import { FLUENT_BIT_METRICS } from '../../src/logs/fluent-bit/fluent-bit-metrics.js';
import { KUBERNETES_FILTER_BUFFER_SIZE } from '../../src/logs/fluent-bit/built-in-pipeline.js';
import { externalOpenSearchTarget } from '../../src/logs/opensearch/external-opensearch.js';
import { LOG_DATA_STREAM_PREFIX, LOG_FIELDS, LOG_SOURCES } from '../../src/logs/log-fields.js';
import { OpenSearchCluster } from '../../src/logs/opensearch/opensearch-cluster.js';
import type { PrometheusTarget } from '../../src/core/prometheus-target.js';
import { LOGGING_ALERTS, loggingRuleGroup } from '../../src/logs/fluent-bit/logging-rules.js';
import { isAlert } from '../../src/core/rule-types.js';
import { testCredentials } from '../support/credentials.js';
import { checkPromQL } from '../support/promql.js';
import { allObjects, helmReleaseValues, type K8sObject, ofKind, one, synthStack } from '../support/synth.js';

const PROMETHEUS: PrometheusTarget = {
  prometheusNamespace: 'observability',
  prometheusServiceName: 'kps-prometheus',
  prometheusPort: 9090,
  prometheusUrl: 'http://kps-prometheus.observability.svc:9090',
  monitorSelectorLabels: { release: 'kps' },
};

/** A FluentBitPipeline writing to a real OpenSearchCluster, in setup and main charts as ObservabilityChart arranges them. */
function synthPipeline(props: Partial<FluentBitPipelineProps> = {}) {
  const app = Testing.app();
  const setup = new Chart(app, 'setup');
  const main = new Chart(app, 'main');
  main.addDependency(setup);
  const delivery = createDelivery('flux');
  const cluster = new OpenSearchCluster(main, 'opensearch', { delivery, setupScope: setup, credentials: testCredentials() });
  const pipeline = new FluentBitPipeline(main, 'fluent-bit', {
    delivery,
    setupScope: setup,
    openSearch: cluster,
    credentialsSecret: cluster.logWriterSecretName,
    prometheus: PROMETHEUS,
    ...props,
  });
  return { cluster, pipeline, objects: allObjects(app), main: main.toJson() as K8sObject[], setup: setup.toJson() as K8sObject[] };
}

describe('FluentBitPipeline: the operator', () => {
  const { setup } = synthPipeline();

  it('delivers fluent-operator 4.3.0 with the chart\'s own Fluent Bit pipeline turned off, so ours is the only one', () => {
    expect(one(setup, 'HelmRelease', 'fluent-operator').spec.chart.spec).toMatchObject({ chart: 'fluent-operator', version: '4.3.0' });
    const values = helmReleaseValues(setup, 'fluent-operator');
    // The chart's FluentBit, ClusterFluentBitConfig, inputs, filters and outputs are all behind `Kubernetes`.
    expect(values.Kubernetes).toBe(false);
    expect(values.fluentbit.enable).toBe(false);
    expect(values.fluentd.enable).toBe(false);
    expect(Object.keys(values.operator.resources).sort()).toEqual(['limits', 'requests']);
  });
});

describe('FluentBitPipeline: the DaemonSet', () => {
  const { pipeline, cluster, main } = synthPipeline();
  const fb = one(main, 'FluentBit', 'fluent-bit').spec;

  it('runs on GPU and Neuron nodes, with requests and limits', () => {
    expect(fb.tolerations).toEqual(expect.arrayContaining([...ACCELERATOR_TOLERATIONS]));
    expect(fb.tolerations.map((t: any) => t.key)).toEqual(expect.arrayContaining(['nvidia.com/gpu', 'aws.amazon.com/neuron']));
    expect(Object.keys(fb.resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(Object.keys(fb.resources.limits).sort()).toEqual(['cpu', 'memory']);
  });

  it('is not privileged and has a read-only root file system, no capabilities, no privilege escalation', () => {
    expect(fb.containerSecurityContext).toMatchObject({
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(fb.containerSecurityContext.capabilities.add).toBeUndefined();
    expect(fb.hostNetwork).toBeUndefined();
  });

  it('buffers on a host directory that outlives the pod, mounted where the storage layer writes', () => {
    const buffer = fb.volumes.find((v: any) => v.name === 'buffer');
    expect(buffer.hostPath).toEqual({ path: '/var/lib/fluent-bit/fluent-bit/buffer', type: 'DirectoryOrCreate' });
    const mount = fb.volumesMounts.find((m: any) => m.name === 'buffer');
    const config = one(main, 'ClusterFluentBitConfig', 'fluent-bit-config').spec;
    expect(config.service.storage.path.replace(/\/$/, '')).toBe(mount.mountPath);
    expect(fb.positionDB.hostPath.path).toBe('/var/lib/fluent-bit/fluent-bit/positions');
  });

  it('mounts only the CA certificate of OpenSearch, never the CA key', () => {
    const ca = fb.volumes.find((v: any) => v.name === 'opensearch-ca');
    expect(ca.secret).toEqual({ secretName: cluster.caSecret.name, items: [{ key: 'ca.crt', path: 'ca.crt' }] });
    expect(fb.volumesMounts.find((m: any) => m.name === 'opensearch-ca')).toMatchObject({ readOnly: true });
  });

  it('can buffer in an emptyDir instead, sized from the buffer limit', () => {
    const { main: other } = synthPipeline({ bufferVolume: 'emptyDir', bufferLimit: '10G' });
    const buffer = one(other, 'FluentBit', 'fluent-bit').spec.volumes.find((v: any) => v.name === 'buffer');
    expect(buffer).toEqual({ name: 'buffer', emptyDir: { sizeLimit: '12Gi' } });
  });

  it('exposes its pod labels and selector labels', () => {
    expect(one(main, 'FluentBit', 'fluent-bit').metadata.labels).toEqual(pipeline.podLabels);
    expect(fb.labels).toEqual(pipeline.podLabels);
  });
});

describe('FluentBitPipeline: inputs, filters, output', () => {
  const { pipeline, cluster, main } = synthPipeline();
  const byKind = (kind: string) => ofKind(main, kind);

  it('selects exactly its own inputs, filters, outputs and parsers', () => {
    const config = one(main, 'ClusterFluentBitConfig', 'fluent-bit-config').spec;
    for (const key of ['inputSelector', 'filterSelector', 'outputSelector', 'parserSelector']) expect(config[key]).toEqual({ matchLabels: pipeline.selectorLabels });
    for (const kind of ['ClusterInput', 'ClusterFilter', 'ClusterOutput']) {
      expect(byKind(kind).length).toBeGreaterThan(0);
      for (const piece of byKind(kind)) expect(piece.metadata.labels).toEqual(pipeline.selectorLabels);
    }
    expect(config.service).toMatchObject({ httpServer: true, httpPort: 2020 });
  });

  it('tails container logs in CRI format and reads kubelet, containerd and kernel messages from the journal, all buffered on disk', () => {
    const inputs = Object.fromEntries(byKind('ClusterInput').map((i) => [i.metadata.name, i.spec]));
    expect(Object.keys(inputs).sort()).toEqual(['fluent-bit-containers', 'fluent-bit-kernel', 'fluent-bit-systemd']);
    expect(inputs['fluent-bit-containers'].tail).toMatchObject({ path: '/var/log/containers/*.log', multilineParser: 'cri', storageType: 'filesystem', tag: 'kube.*' });
    expect(inputs['fluent-bit-containers'].tail.excludePath).toContain('fluent-bit-');
    expect(inputs['fluent-bit-systemd'].systemd).toMatchObject({
      systemdFilter: ['_SYSTEMD_UNIT=kubelet.service', '_SYSTEMD_UNIT=containerd.service'],
      systemdFilterType: 'Or',
      storageType: 'filesystem',
    });
    expect(inputs['fluent-bit-kernel'].systemd).toMatchObject({ systemdFilter: ['_TRANSPORT=kernel'], storageType: 'filesystem' });
    // Each input keeps its read position in the position DB volume (/fluent-bit/tail), distinct per input.
    const dbs = Object.values(inputs).map((i: any) => (i.tail ?? i.systemd).db);
    expect(new Set(dbs).size).toBe(3);
    for (const db of dbs) expect(db).toMatch(/^\/fluent-bit\/tail\//);
  });

  it('adds Kubernetes metadata with pod labels (Ray cluster and job labels reach OpenSearch) and marks each record\'s source', () => {
    const containers = one(main, 'ClusterFilter', 'fluent-bit-containers').spec;
    const kube = containers.filters.find((f: any) => f.kubernetes).kubernetes;
    expect(kube).toMatchObject({ labels: true, kubeTagPrefix: 'kube.var.log.containers.' });
    expect(containers.filters).toContainEqual({ modify: { rules: [{ set: { [LOG_FIELDS.source]: LOG_SOURCES.container } }] } });
    for (const source of [LOG_SOURCES.systemd, LOG_SOURCES.kernel]) {
      const node = one(main, 'ClusterFilter', `fluent-bit-${source}`).spec;
      const rules = node.filters[0].modify.rules;
      expect(rules).toContainEqual({ set: { [LOG_FIELDS.source]: source } });
      expect(rules).toContainEqual({ rename: { MESSAGE: LOG_FIELDS.message } });
      expect(node.filters[1].nest).toMatchObject({ operation: 'nest', nestUnder: LOG_FIELDS.node.split('.')[0], wildcard: [LOG_FIELDS.node.split('.')[1]] });
    }
  });

  it("lifts the kubernetes filter's API buffer above the largest pod the API server stores (issue 11 item 7)", () => {
    const kube = one(main, 'ClusterFilter', 'fluent-bit-containers').spec.filters.find((f: any) => f.kubernetes).kubernetes;
    expect(kube.bufferSize).toBe(KUBERNETES_FILTER_BUFFER_SIZE);
    // Fluent Bit 5.1 src/flb_utils.c flb_utils_size_to_bytes: K, M, G are powers of 1000; its default is 32K.
    const bytes = (size: string) => {
      const m = /^(\d+)([KMG])?$/.exec(size)!;
      return Number(m[1]) * { K: 1e3, M: 1e6, G: 1e9, '': 1 }[m[2] ?? '']!;
    };
    const etcdDefaultRequestLimit = 1.5 * 2 ** 20; // etcd --max-request-bytes default: the largest object the API server stores
    expect(bytes(kube.bufferSize)).toBeGreaterThan(etcdDefaultRequestLimit);
    // A Ray worker pod with managedFields (what failed): larger than the old default, within the new buffer.
    const managedField = { manager: 'kuberay-operator', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`f:env-${i}`, { '.': {}, 'f:name': {}, 'f:value': {} }])) } };
    const rayPod = JSON.stringify({ kind: 'Pod', metadata: { name: 'raycluster-worker-abcde', managedFields: [managedField, managedField] }, spec: { containers: [{ name: 'ray-worker', env: Array.from({ length: 400 }, (_, i) => ({ name: `VAR_${i}`, value: 'x'.repeat(40) })) }] } });
    expect(Buffer.byteLength(rayPod)).toBeGreaterThan(bytes('32K'));
    expect(Buffer.byteLength(rayPod)).toBeLessThan(bytes(kube.bufferSize));
  });

  it('makes retries idempotent: ids hashed from the record, nanosecond timestamps, create operations (issue 11 item 3)', () => {
    const os = one(main, 'ClusterOutput', 'fluent-bit-opensearch').spec.opensearch;
    // Generate_ID: a resent item gets the id it had the first time; with `create`, OpenSearch answers 409 and
    // out_opensearch (5.1 opensearch.c, opensearch_error_check) does not count a 409 as an error.
    expect(os.generateID).toBe(true); // the CRD's field (fluent-operator 3.10 open_search_types.go renders it as Generate_ID)
    expect(os.idKey).toBeUndefined(); // Id_Key would override Generate_ID
    expect(os.writeOperation).toBe('create');
    expect(os.timeKeyNanos).toBe(true);
  });

  it('writes to the host, port and Secret the OpenSearch construct created, verifying TLS against its CA', () => {
    const output = one(main, 'ClusterOutput', 'fluent-bit-opensearch').spec;
    const os = output.opensearch;
    expect(os.host).toBe(cluster.host);
    expect(os.port).toBe(cluster.port);
    expect(os.httpUser.valueFrom.secretKeyRef).toEqual({ name: cluster.logWriterSecretName, key: 'username' });
    expect(os.httpPassword.valueFrom.secretKeyRef).toEqual({ name: cluster.logWriterSecretName, key: 'password' });
    expect(os.tls).toEqual({ verify: true, vhost: cluster.host, caFile: '/fluent-bit/opensearch-ca/ca.crt' });
    const caMount = one(main, 'FluentBit', 'fluent-bit').spec.volumesMounts.find((m: any) => m.name === 'opensearch-ca').mountPath;
    expect(os.tls.caFile).toBe(`${caMount}/ca.crt`);
    // Data streams per source, created through `create` operations; dots in label keys replaced.
    expect(os.index).toBe(`${LOG_DATA_STREAM_PREFIX}$${LOG_FIELDS.source}`);
    expect(os).toMatchObject({ writeOperation: 'create', suppressTypeName: true, replaceDots: true, totalLimitSize: '5G' });
    expect(output.retry_limit).toBe('200');
    expect(output.matchRegex).toBe(LOG_TAG_REGEX);
  });

  it('skips TLS verification only when asked to', () => {
    const { main: insecure } = synthPipeline({ insecureSkipTlsVerify: true });
    expect(one(insecure, 'ClusterOutput', 'fluent-bit-opensearch').spec.opensearch.tls.verify).toBe(false);
  });

  it('takes the buffer limit and retry limit from props, rejecting nonsense', () => {
    const { main: other } = synthPipeline({ bufferLimit: '20G', retryLimit: 'no_limits' });
    const output = one(other, 'ClusterOutput', 'fluent-bit-opensearch').spec;
    expect(output.opensearch.totalLimitSize).toBe('20G');
    expect(output.retry_limit).toBe('no_limits');
    expect(() => synthPipeline({ bufferLimit: '5 gigs' })).toThrow(/bufferLimit: "5 gigs" is not allowed: must be a size such as 500M or 5G/);
    expect(() => synthPipeline({ retryLimit: 0 })).toThrow(/retryLimit: 0 is not allowed: must be a whole number from 1 to 100000/);
  });
});

describe('FluentBitPipeline: inputs, filters and outputs of your own', () => {
  it('adds an extra output in a few lines (Loki here), next to OpenSearch', () => {
    const { pipeline, main } = synthPipeline({
      outputs: { loki: { matchRegex: LOG_TAG_REGEX, loki: { host: 'loki-gateway.loki.svc', port: 80, labels: ['job=fluent-bit'] } } },
    });
    const loki = one(main, 'ClusterOutput', 'fluent-bit-loki');
    expect(loki.metadata.labels).toEqual(pipeline.selectorLabels);
    expect(loki.spec.loki).toMatchObject({ host: 'loki-gateway.loki.svc', port: 80 });
    one(main, 'ClusterOutput', 'fluent-bit-opensearch');
  });

  it('replaces a built-in piece by its name and removes one with null', () => {
    const { main } = synthPipeline({
      inputs: { kernel: null },
      outputs: { opensearch: { matchRegex: LOG_TAG_REGEX, s3: { bucket: 'logs-archive', region: 'eu-west-1', totalFileSize: '50M' } } },
      parsers: { nginx: { regex: { regex: '^(?<remote>[^ ]*) (?<rest>.*)$' } } },
      filters: { drop: { match: 'kube.*', ordinal: 100, filters: [{ grep: { exclude: 'log ^DEBUG' } }] } },
    });
    expect(ofKind(main, 'ClusterInput').map((i) => i.metadata.name).sort()).toEqual(['fluent-bit-containers', 'fluent-bit-systemd']);
    const output = one(main, 'ClusterOutput', 'fluent-bit-opensearch').spec;
    expect(output.s3).toMatchObject({ Bucket: 'logs-archive', Region: 'eu-west-1' });
    expect(output.opensearch).toBeUndefined();
    one(main, 'ClusterParser', 'fluent-bit-nginx');
    expect(one(main, 'ClusterFilter', 'fluent-bit-drop').spec.ordinal).toBe(100);
  });

  it('rejects a bad name, and null for a piece that does not exist', () => {
    expect(() => synthPipeline({ outputs: { 'My Output': { match: '*' } } })).toThrow(/outputs\.My Output: not allowed as a name/);
    expect(() => synthPipeline({ inputs: { journald: null } })).toThrow(/inputs\.journald: null removes a built-in piece.*built-in: containers, systemd, kernel/);
  });
});

describe('FluentBitPipeline: its own metrics and the logging alerts', () => {
  const { pipeline, main } = synthPipeline({ releaseName: 'logs-operator' });

  it('is scraped through a PodMonitor carrying the Prometheus selector labels and selecting its pods', () => {
    const monitor = one(main, 'PodMonitor', 'fluent-bit');
    expect(monitor.metadata.labels).toEqual(PROMETHEUS.monitorSelectorLabels);
    expect(monitor.spec.selector.matchLabels).toEqual(pipeline.podLabels);
    expect(monitor.spec.podMetricsEndpoints[0]).toMatchObject({ port: 'metrics', path: FLUENT_BIT_METRICS_PATH });
  });

  it('emits the logging rule group as PrometheusRule <release>-logging, limited to its namespace', () => {
    const rule = one(main, 'PrometheusRule', 'logs-operator-logging');
    expect(rule.metadata.labels).toEqual(PROMETHEUS.monitorSelectorLabels);
    const alerts = rule.spec.groups[0].rules.map((r: any) => r.alert);
    expect(alerts.sort()).toEqual(Object.values(LOGGING_ALERTS).sort());
    for (const r of rule.spec.groups[0].rules) expect(r.expr).toContain('namespace="observability"');
  });

  it('alerts on dropped and on abandoned records, from metric names the Fluent Bit catalog lists', () => {
    const group = loggingRuleGroup();
    const exprs = Object.fromEntries(group.rules.filter(isAlert).map((r) => [r.alert, r.expr]));
    expect(exprs[LOGGING_ALERTS.RECORDS_DROPPED]).toContain(FLUENT_BIT_METRICS.OUTPUT_DROPPED_RECORDS_TOTAL);
    expect(exprs[LOGGING_ALERTS.RETRIES_EXHAUSTED]).toContain(FLUENT_BIT_METRICS.OUTPUT_RETRIES_FAILED_TOTAL);
    for (const [alert, expr] of Object.entries(exprs)) expect(checkPromQL(expr), alert).toEqual([]);
  });

  it('without a Prometheus, emits neither PodMonitor nor PrometheusRule', () => {
    const { main: bare } = synthPipeline({ prometheus: undefined });
    expect(ofKind(bare, 'PodMonitor')).toEqual([]);
    expect(ofKind(bare, 'PrometheusRule')).toEqual([]);
  });
});

describe('FluentBitPipeline in the stack', () => {
  it('writes to the stack\'s OpenSearch by default, scraped by the stack\'s Prometheus', () => {
    const { chart, objects } = synthStack();
    const os = one(objects, 'ClusterOutput', 'fluent-bit-opensearch').spec.opensearch;
    expect(os.host).toBe(chart.openSearch!.host);
    expect(os.httpUser.valueFrom.secretKeyRef.name).toBe(chart.openSearch!.logWriterSecretName);
    expect(one(objects, 'PodMonitor', 'fluent-bit').metadata.labels).toMatchObject(chart.prometheusStack!.monitorSelectorLabels);
  });

  it('can be pointed at an existing OpenSearch instead of the bundled one', () => {
    const target = externalOpenSearchTarget({ host: 'search.example.com', caSecret: { name: 'corp-ca' } });
    const { chart, objects } = synthStack({ openSearch: { enabled: false }, externalOpenSearch: { target, version: '2.19.2', writerCredentialsSecret: 'logs-writer', readerCredentialsSecret: 'logs-reader' } });
    expect(chart.openSearch).toBeUndefined();
    expect(ofKind(objects, 'OpenSearchCluster')).toEqual([]);
    expect(ofKind(objects, 'HelmRelease').map((r) => r.metadata.name)).not.toContain('opensearch-operator');
    const os = one(objects, 'ClusterOutput', 'fluent-bit-opensearch').spec.opensearch;
    expect(os).toMatchObject({ host: 'search.example.com', port: 443, tls: { verify: true, caFile: '/fluent-bit/opensearch-ca/ca.crt' } });
    expect(os.httpPassword.valueFrom.secretKeyRef.name).toBe('logs-writer');
    expect(one(objects, 'FluentBit', 'fluent-bit').spec.volumes.find((v: any) => v.name === 'opensearch-ca').secret.secretName).toBe('corp-ca');
    expect(os.index).toBe(`${LOG_DATA_STREAM_PREFIX}$${LOG_FIELDS.source}`);
    const env = helmReleaseValues(objects, chart.prometheusStack!.releaseName).grafana.envValueFrom;
    expect(env.OPENSEARCH_LOGS_PASSWORD.secretKeyRef.name).toBe('logs-reader');
  });

  it("writes under the target's index pattern, and rejects a pattern it cannot write under", () => {
    const target = externalOpenSearchTarget({ host: 'search.example.com', logIndexPattern: 'k8s-logs-*' });
    const { objects } = synthStack({ openSearch: { enabled: false }, externalOpenSearch: { target, version: '2.19.2', writerCredentialsSecret: 'w' } });
    expect(one(objects, 'ClusterOutput', 'fluent-bit-opensearch').spec.opensearch.index).toBe(`k8s-logs-$${LOG_FIELDS.source}`);
    const bad = externalOpenSearchTarget({ host: 'search.example.com', logIndexPattern: 'logs' });
    expect(() => synthStack({ openSearch: { enabled: false }, externalOpenSearch: { target: bad, version: '2.19.2', writerCredentialsSecret: 'w' } })).toThrow(
      /fluentBit\.openSearch\.logIndexPattern: "logs" is not allowed: must be a lower-case prefix followed by '\*'/,
    );
  });

  it('rejects Fluent Bit with nowhere to send logs, and two OpenSearches at once, naming the props', () => {
    expect(() => synthStack({ openSearch: { enabled: false } })).toThrow(/fluentBit\.enabled: Fluent Bit needs somewhere to send the logs: set openSearch\.enabled to true, set externalOpenSearch, or set fluentBit\.enabled to false/);
    const target = externalOpenSearchTarget({ host: 'search.example.com' });
    expect(() => synthStack({ externalOpenSearch: { target, version: '2.19.2', writerCredentialsSecret: 'w' } })).toThrow(/externalOpenSearch: is used only when openSearch\.enabled is false/);
    expect(() => synthStack({ openSearch: { enabled: false }, fluentBit: { enabled: false } })).not.toThrow();
  });
});
