import { describe, expect, it } from 'vitest';
import { deepMerge } from '../src/core/deep-merge.js';
import { POD_SECURITY_EXCEPTION_ANNOTATION } from '../src/core/pod-security.js';
import { TEST_OPENSEARCH_IMAGE } from './support/mcp.js';
import { baselineViolations, type CheckedPod, type PodSecurityLevel, restrictedViolations, violations } from './support/pod-security.js';
import { type K8sObject, ofKind, one, synthStack, type StackProps } from './support/synth.js';
import { defaultValues } from './support/helm-values.js';
import type { UpstreamChartName } from '../src/core/upstream-chart.js';

/**
 * Issue 11 item 8: every pod the stack runs is admitted by the Pod Security level its namespace enforces. The pods
 * are read from what we synthesize where we write them (our Deployments, DaemonSets and CronJobs; the FluentBit and
 * OpenSearchCluster resources, turned into pods the way their operators do) and, for the charts, built from the
 * values we deliver merged over the pinned chart's defaults, the way the chart's templates use them. What the charts
 * render cannot be seen here (the helm stand-in renders nothing), so each chart pod below names the template and
 * values it follows; a template change upstream is not caught until the pinned version changes.
 */

/** The pod template of a workload we synthesize. */
function ownPods(objects: K8sObject[]): CheckedPod[] {
  return objects
    .filter((o) => ['Deployment', 'DaemonSet', 'StatefulSet', 'Job', 'CronJob'].includes(o.kind))
    .map((o) => {
      const template = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec.template;
      return { name: `${o.kind}/${o.metadata.name}`, namespace: o.metadata.namespace!, spec: template.spec, annotations: template.metadata?.annotations };
    });
}

/**
 * The Fluent Bit DaemonSet fluent-operator makes of our FluentBit resource (pkg/operator/daemonset.go, v3.10.0,
 * MakeDaemonSet): the resource's pod and container security contexts and host network, the config Secret, the three
 * host paths of the logs (the container log path, /var/log, /var/log/journal), the position DB and the resource's own
 * volumes.
 */
function fluentBitPod(objects: K8sObject[]): CheckedPod[] {
  return ofKind(objects, 'FluentBit').map((fb) => ({
    name: `DaemonSet/${fb.metadata.name} (fluent-operator)`,
    namespace: fb.metadata.namespace!,
    spec: {
      hostNetwork: fb.spec.hostNetwork,
      securityContext: fb.spec.securityContext,
      containers: [{ name: 'fluent-bit', securityContext: fb.spec.containerSecurityContext, ports: [{ name: 'metrics', containerPort: 2020 }] }],
      volumes: [
        { name: 'config', secret: { secretName: fb.spec.fluentBitConfigName } },
        { name: 'varlibcontainers', hostPath: { path: '/containers' } },
        { name: 'varlogs', hostPath: { path: '/var/log' } },
        { name: 'systemd', hostPath: { path: '/var/log/journal' } },
        ...(fb.spec.volumes ?? []),
        ...(fb.spec.positionDB ? [{ name: 'positions', ...fb.spec.positionDB }] : []),
      ],
    },
  }));
}

/**
 * The pods opensearch-k8s-operator 2.8.0 makes of our OpenSearchCluster (pkg/builders/cluster.go, dashboards.go): the
 * node pool StatefulSet and the bootstrap pod (general pod and container contexts; the root `init` container that
 * chowns the data volume unless the operator runs with SKIP_INIT_CONTAINER; the privileged `init-sysctl` container
 * with setVMMaxMapCount), the security config update Job (general contexts) and Dashboards (its own contexts).
 */
function openSearchPods(objects: K8sObject[]): CheckedPod[] {
  if (ofKind(objects, 'OpenSearchCluster').length === 0) return [];
  const operatorEnv: { name: string; value: string }[] = helmValues(objects, 'opensearch-operator').manager?.extraEnv ?? [];
  const skipInit = operatorEnv.some((e) => e.name === 'SKIP_INIT_CONTAINER' && ['true', '1'].includes(e.value));
  return ofKind(objects, 'OpenSearchCluster').flatMap((cr) => {
    const general = cr.spec.general;
    const init = skipInit ? [] : [{ name: 'init', securityContext: { runAsUser: 0 } }];
    const sysctl = general.setVMMaxMapCount ? [{ name: 'init-sysctl', securityContext: { privileged: true } }] : [];
    // With keystore entries (S3 snapshot credentials), an init container builds the keystore with the general context.
    const keystore = general.keystore?.length ? [{ name: 'keystore', securityContext: general.securityContext }] : [];
    const nodeSpec = (initContainers: unknown[]) => ({
      securityContext: general.podSecurityContext,
      initContainers,
      containers: [{ name: 'opensearch', securityContext: general.securityContext }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }, { name: 'config', configMap: { name: 'config' } }, { name: 'admin-credentials', secret: { secretName: 'x' } }],
    });
    const pods: CheckedPod[] = [
      { name: `StatefulSet/${cr.metadata.name}-nodes (operator)`, namespace: cr.metadata.namespace!, spec: nodeSpec([...init, ...keystore, ...sysctl]) },
      { name: `Pod/${cr.metadata.name}-bootstrap-0 (operator)`, namespace: cr.metadata.namespace!, spec: nodeSpec([...init, ...sysctl]) },
      {
        name: `Job/${cr.metadata.name}-securityconfig-update (operator)`,
        namespace: cr.metadata.namespace!,
        spec: { securityContext: general.podSecurityContext, containers: [{ name: 'updater', securityContext: general.securityContext }], volumes: [{ name: 'securityconfig', secret: { secretName: 'x' } }] },
      },
    ];
    if (cr.spec.dashboards?.enable) {
      pods.push({
        name: `Deployment/${cr.metadata.name}-dashboards (operator)`,
        namespace: cr.metadata.namespace!,
        spec: { securityContext: cr.spec.dashboards.podSecurityContext, containers: [{ name: 'dashboards', securityContext: cr.spec.dashboards.securityContext }], volumes: [{ name: 'tls', secret: { secretName: 'x' } }] },
      });
    }
    return pods;
  });
}

/** The values a chart is delivered with (flux: the HelmRelease's), over the pinned chart's defaults. */
function helmValues(objects: K8sObject[], release: UpstreamChartName): any {
  return deepMerge(defaultValues(release), one(objects, 'HelmRelease', release).spec.values);
}

function namespaceOf(objects: K8sObject[], release: string): string {
  return one(objects, 'HelmRelease', release).metadata.namespace!;
}

/** The pods of the charts, from the delivered values and the pinned templates named at each. */
function chartPods(objects: K8sObject[]): CheckedPod[] {
  const pods: CheckedPod[] = [];
  if (ofKind(objects, 'HelmRelease', 'kube-prometheus-stack').length) {
    const v = helmValues(objects, 'kube-prometheus-stack');
    const ns = namespaceOf(objects, 'kube-prometheus-stack');
    // prometheus-operator v0.93.0 sets the containers' contexts itself (pkg/prometheus/server/statefulset.go,
    // pkg/alertmanager/statefulset.go, pkg/operator/config_reloader.go); the pod's comes from the resource's spec.
    const operatorContainer = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
    const operated = (name: string, podContext: unknown, main: string): CheckedPod => ({
      name,
      namespace: ns,
      spec: {
        securityContext: podContext,
        initContainers: [{ name: 'init-config-reloader', securityContext: operatorContainer }],
        containers: [{ name: main, securityContext: operatorContainer }, { name: 'config-reloader', securityContext: operatorContainer }],
        volumes: [{ name: 'config', secret: { secretName: 'x' } }, { name: 'db', persistentVolumeClaim: { claimName: 'x' } }, { name: 'tls', projected: { sources: [] } }],
      },
    });
    pods.push(operated('StatefulSet/prometheus (prometheus-operator)', v.prometheus.prometheusSpec.securityContext, 'prometheus'));
    pods.push(operated('StatefulSet/alertmanager (prometheus-operator)', v.alertmanager.alertmanagerSpec.securityContext, 'alertmanager'));
    // templates/prometheus-operator/deployment.yaml: securityContext and containerSecurityContext.
    pods.push({
      name: 'Deployment/prometheus-operator (kube-prometheus-stack)',
      namespace: ns,
      spec: { securityContext: v.prometheusOperator.securityContext, containers: [{ name: 'kube-prometheus-stack', securityContext: v.prometheusOperator.containerSecurityContext }], volumes: [{ name: 'tls-secret', secret: { secretName: 'x' } }] },
    });
    // templates/prometheus-operator/admission-webhooks/job-patch/job-createSecret.yaml and job-patchWebhook.yaml.
    for (const job of ['createSecretJob', 'patchWebhookJob']) {
      pods.push({
        name: `Job/admission-${job} (kube-prometheus-stack)`,
        namespace: ns,
        spec: { securityContext: v.prometheusOperator.admissionWebhooks.patch.securityContext, containers: [{ name: 'create', securityContext: v.prometheusOperator.admissionWebhooks[job].securityContext }] },
      });
    }
    // Subcharts: their own defaults (not in the parent's values file), as their pinned values.yaml sets them.
    // grafana 12.11.1 (grafana-community/helm-charts): securityContext, containerSecurityContext, sidecar.securityContext.
    const grafana = deepMerge({ securityContext: { runAsNonRoot: true, runAsUser: 472, runAsGroup: 472, fsGroup: 472 }, containerSecurityContext: { allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } }, sidecar: { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } } } }, v.grafana) as any;
    pods.push({
      name: 'Deployment/grafana (grafana chart)',
      namespace: ns,
      spec: {
        securityContext: grafana.securityContext,
        containers: [
          { name: 'grafana-sc-dashboard', securityContext: grafana.sidecar.securityContext },
          { name: 'grafana-sc-datasources', securityContext: grafana.sidecar.securityContext },
          { name: 'grafana', securityContext: grafana.containerSecurityContext },
        ],
        volumes: [{ name: 'config', configMap: { name: 'x' } }, { name: 'storage', emptyDir: {} }, { name: 'sc-dashboard-volume', emptyDir: {} }],
      },
    });
    // kube-state-metrics 8.4.0: securityContext (enabled) and containerSecurityContext.
    const ksm = deepMerge({ securityContext: { runAsGroup: 65534, runAsUser: 65534, fsGroup: 65534, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containerSecurityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }, v['kube-state-metrics']) as any;
    pods.push({ name: 'Deployment/kube-state-metrics (kube-state-metrics chart)', namespace: ns, spec: { securityContext: ksm.securityContext, containers: [{ name: 'kube-state-metrics', securityContext: ksm.containerSecurityContext }] } });
    // prometheus-node-exporter 4.56.1: hostNetwork, hostPID, host port 9100, host paths /proc, /sys and /.
    const ne = deepMerge({ hostNetwork: true, hostPID: true, securityContext: { fsGroup: 65534, runAsGroup: 65534, runAsNonRoot: true, runAsUser: 65534 }, containerSecurityContext: { readOnlyRootFilesystem: true } }, v['prometheus-node-exporter']) as any;
    pods.push({
      name: 'DaemonSet/node-exporter (prometheus-node-exporter chart)',
      namespace: ne.namespaceOverride || ns,
      spec: {
        hostNetwork: ne.hostNetwork,
        hostPID: ne.hostPID,
        securityContext: ne.securityContext,
        containers: [{ name: 'node-exporter', securityContext: ne.containerSecurityContext, ports: [{ name: 'metrics', containerPort: 9100, hostPort: 9100 }] }],
        volumes: [{ name: 'proc', hostPath: { path: '/proc' } }, { name: 'sys', hostPath: { path: '/sys' } }, { name: 'root', hostPath: { path: '/' } }],
      },
    });
  }
  if (ofKind(objects, 'HelmRelease', 'opencost').length) {
    // opencost 2.5.17 templates/deployment.yaml: podSecurityContext, opencost.exporter/ui.securityContext.
    const v = helmValues(objects, 'opencost');
    pods.push({
      name: 'Deployment/opencost (opencost chart)',
      namespace: namespaceOf(objects, 'opencost'),
      spec: { securityContext: v.podSecurityContext, containers: [{ name: 'opencost', securityContext: v.opencost.exporter.securityContext }, { name: 'opencost-ui', securityContext: v.opencost.ui.securityContext }] },
    });
  }
  if (ofKind(objects, 'HelmRelease', 'dcgm-exporter').length) {
    // dcgm-exporter 4.8.2 deployment/templates/daemonset.yaml: podSecurityContext, securityContext, and the kubelet's
    // pod-resources directory as a host path.
    const v = helmValues(objects, 'dcgm-exporter');
    pods.push({
      name: 'DaemonSet/dcgm-exporter (dcgm-exporter chart)',
      namespace: namespaceOf(objects, 'dcgm-exporter'),
      spec: {
        hostNetwork: v.hostNetwork,
        securityContext: v.podSecurityContext,
        containers: [{ name: 'exporter', securityContext: v.securityContext }],
        volumes: [{ name: 'pod-gpu-resources', hostPath: { path: v.kubeletPath } }, ...(v.extraConfigMapVolumes ?? [])],
      },
    });
  }
  if (ofKind(objects, 'HelmRelease', 'fluent-operator').length) {
    // fluent-operator 4.3.0 templates/fluent-operator-deployment.yaml: operator.podSecurityContext and securityContext.
    const v = helmValues(objects, 'fluent-operator');
    pods.push({ name: 'Deployment/fluent-operator (fluent-operator chart)', namespace: namespaceOf(objects, 'fluent-operator'), spec: { securityContext: v.operator.podSecurityContext, containers: [{ name: 'fluent-operator', securityContext: v.operator.securityContext }] } });
  }
  if (ofKind(objects, 'HelmRelease', 'opensearch-operator').length) {
    // opensearch-operator 2.8.0 templates/opensearch-operator-controller-manager-deployment.yaml: securityContext,
    // manager.securityContext (the kube-rbac-proxy container is off).
    const v = helmValues(objects, 'opensearch-operator');
    pods.push({ name: 'Deployment/opensearch-operator (opensearch-operator chart)', namespace: namespaceOf(objects, 'opensearch-operator'), spec: { securityContext: v.securityContext, containers: [{ name: 'operator-controller-manager', securityContext: v.manager.securityContext }] } });
  }
  return pods;
}

function allPods(objects: K8sObject[]): CheckedPod[] {
  return [...ownPods(objects), ...fluentBitPod(objects), ...openSearchPods(objects), ...chartPods(objects)];
}

/** The level each namespace we create enforces, from its labels. */
function enforcedLevels(objects: K8sObject[]): Map<string, PodSecurityLevel> {
  return new Map(ofKind(objects, 'Namespace').map((n) => [n.metadata.name, n.metadata.labels?.['pod-security.kubernetes.io/enforce'] as PodSecurityLevel]));
}

/** Every pod that its namespace's enforced level would reject, with why; and pods in a namespace we do not create. */
function rejected(objects: K8sObject[]): string[] {
  const levels = enforcedLevels(objects);
  return allPods(objects).flatMap((pod) => {
    const level = levels.get(pod.namespace);
    if (!level) return [`${pod.name}: namespace ${pod.namespace} is not one we create`];
    return violations(pod, level).map((v) => `${pod.name} in ${pod.namespace} (${level}): ${v}`);
  });
}

const FULL: StackProps = { mcp: { enabled: true, opensearch: { image: TEST_OPENSEARCH_IMAGE } }, gpuExporters: { neuron: { enabled: true } } };

describe('the Pod Security evaluator (test/support/pod-security.ts) can fail', () => {
  const restricted = {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
  };
  const pod = (spec: unknown): CheckedPod => ({ name: 'p', namespace: 'n', spec });
  it('admits a restricted pod, and names each control a pod breaks', () => {
    expect(restrictedViolations(pod(restricted))).toEqual([]);
    expect(restrictedViolations(pod({ ...restricted, securityContext: { runAsNonRoot: true } }))).toEqual(['Seccomp: container c has no RuntimeDefault or Localhost profile']);
    expect(restrictedViolations(pod({ ...restricted, containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false, runAsUser: 0, capabilities: { drop: ['ALL'], add: ['CHOWN'] } } }] }))).toEqual([
      'Running as Non-root user: container c sets runAsUser 0',
      'Capabilities: container c adds CHOWN (restricted allows NET_BIND_SERVICE only)',
    ]);
    expect(restrictedViolations(pod({ ...restricted, volumes: [{ name: 'h', hostPath: { path: '/' } }] }))).toEqual(['HostPath Volumes: h (/)', 'Volume Types: h is hostPath']);
    expect(baselineViolations(pod({ hostNetwork: true, containers: [{ name: 'c', securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] } } }] }))).toEqual([
      'Host Namespaces: hostNetwork',
      'Privileged Containers: container c is privileged',
      'Capabilities: container c adds SYS_ADMIN',
    ]);
    expect(baselineViolations(pod({ securityContext: { sysctls: [{ name: 'vm.max_map_count', value: '262144' }] }, containers: [] }))).toEqual(['Sysctls: vm.max_map_count']);
  });
});

describe('Pod Security levels of the namespaces (issue 11 item 8)', () => {
  it("label every namespace we create: the stack's restricted, the node agents' privileged, enforced, audited and warned, pinned to v1.30", () => {
    const { objects } = synthStack(FULL);
    const namespaces = ofKind(objects, 'Namespace');
    expect(namespaces.map((n) => n.metadata.name).sort()).toEqual(['observability', 'observability-node-agents']);
    for (const n of namespaces) {
      const level = n.metadata.name === 'observability' ? 'restricted' : 'privileged';
      for (const mode of ['enforce', 'audit', 'warn']) {
        expect(n.metadata.labels?.[`pod-security.kubernetes.io/${mode}`], `${n.metadata.name} ${mode}`).toBe(level);
        expect(n.metadata.labels?.[`pod-security.kubernetes.io/${mode}-version`]).toBe('v1.30');
      }
    }
    expect(one(objects, 'Namespace', 'observability').metadata.annotations?.[POD_SECURITY_EXCEPTION_ANNOTATION]).toBeUndefined();
    const exception = one(objects, 'Namespace', 'observability-node-agents').metadata.annotations?.[POD_SECURITY_EXCEPTION_ANNOTATION] ?? '';
    for (const agent of ['node-exporter', 'dcgm-exporter', 'neuron-monitor', 'fluent-bit']) expect(exception).toMatch(new RegExp(`DaemonSet/[a-z-]*${agent}: `));
  });

  it.each<[string, StackProps]>([
    ['the default stack', {}],
    ['every component, MCP servers and neuron-monitor included', FULL],
    [
      'external OpenSearch',
      {
        openSearch: { enabled: false },
        externalOpenSearch: { target: { namespace: 'observability', clusterName: 'corp', host: 'search.example.com', port: 443, url: 'https://search.example.com:443', logIndexPattern: 'logs-*' }, writerCredentialsSecret: 'w', version: '2.19.2' },
      },
    ],
    ['one namespace for everything (nodeAgentsNamespace = namespace)', { ...FULL, nodeAgentsNamespace: 'observability' }],
    ['setVmMaxMapCount on', { ...FULL, openSearch: { setVmMaxMapCount: true } }],
    ['OpenSearch snapshots to S3 (a keystore init container)', { openSearch: { snapshots: { bucket: 'acme-logs-backup' } } }],
  ])('admit every pod of %s at its namespace\'s level', (_name, props) => {
    const { objects } = synthStack(props);
    expect(allPods(objects).length).toBeGreaterThan(5);
    expect(rejected(objects)).toEqual([]);
  });

  it("run everything in the stack's namespace under restricted, and the node agents need their exception", () => {
    const { objects } = synthStack(FULL);
    const pods = allPods(objects);
    const stack = pods.filter((p) => p.namespace === 'observability');
    expect(stack.map((p) => p.name)).toEqual(expect.arrayContaining(['Deployment/prometheus-mcp-server', 'StatefulSet/logs-nodes (operator)', 'StatefulSet/prometheus (prometheus-operator)', 'Deployment/grafana (grafana chart)', 'CronJob/fluent-bit-secret-mirror']));
    for (const p of stack) expect(restrictedViolations(p), p.name).toEqual([]);
    // Each node agent breaks baseline: privileged is what they need, not a convenience.
    const agents = pods.filter((p) => p.namespace === 'observability-node-agents');
    expect(agents.map((p) => p.name).sort()).toEqual([
      'DaemonSet/dcgm-exporter (dcgm-exporter chart)',
      'DaemonSet/fluent-bit (fluent-operator)',
      'DaemonSet/neuron-monitor',
      'DaemonSet/node-exporter (prometheus-node-exporter chart)',
    ]);
    for (const p of agents) expect(baselineViolations(p), p.name).not.toEqual([]);
  });

  it("puts the stack's namespace at privileged, with the reason, when setVmMaxMapCount asks for the operator's privileged sysctl container", () => {
    const { objects } = synthStack({ openSearch: { setVmMaxMapCount: true } });
    const ns = one(objects, 'Namespace', 'observability');
    expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(ns.metadata.annotations?.[POD_SECURITY_EXCEPTION_ANNOTATION]).toMatch(/^StatefulSet\/logs-nodes: setVmMaxMapCount: .*privileged init container/);
    const nodes = openSearchPods(objects).find((p) => p.name.startsWith('StatefulSet/'))!;
    expect(baselineViolations(nodes)).toEqual(['Privileged Containers: initContainer init-sysctl is privileged']);
  });

  it('would reject what the stack did before: the operator\'s root init container in the OpenSearch pods (no SKIP_INIT_CONTAINER)', () => {
    const { objects } = synthStack({});
    const withInit = objects.map((o) => (o.kind === 'HelmRelease' && o.metadata.name === 'opensearch-operator' ? { ...o, spec: { ...o.spec, values: { ...o.spec.values, manager: { ...o.spec.values.manager, extraEnv: [] } } } } : o));
    expect(rejected(withInit)).toEqual(expect.arrayContaining([expect.stringMatching(/^StatefulSet\/logs-nodes \(operator\) in observability \(restricted\): Running as Non-root user: initContainer init sets runAsUser 0/)]));
  });
});

describe('the node agents\' namespace', () => {
  it('exists only while a node agent runs there', () => {
    const { objects } = synthStack({
      chartValues: { 'kube-prometheus-stack': { nodeExporter: { enabled: false } } },
      gpuExporters: { enabled: false },
      fluentBit: { enabled: false },
    });
    expect(ofKind(objects, 'Namespace').map((n) => n.metadata.name)).toEqual(['observability']);
    expect(ofKind(objects, 'NetworkPolicy').map((p) => p.metadata.namespace)).not.toContain('observability-node-agents');
  });
});
