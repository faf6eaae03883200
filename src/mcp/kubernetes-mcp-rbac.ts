import type { k8s } from 'cdk8s-plus-30';

/** Verbs that only read. */
export const READ_VERBS = ['get', 'list', 'watch'] as const;

/**
 * What an agent diagnosing AI/ML workloads needs to read, cluster-wide: pods and their logs, events, nodes,
 * services and their endpoints, namespaces with their quotas and limit ranges, the workload controllers and what
 * scales or protects them (HPAs, PodDisruptionBudgets), storage (PVCs, PVs, StorageClasses: a pending pod is often a
 * pending volume), Ingresses, ConfigMaps (training code and configs live there), the Ray custom resources, and
 * resource usage from the metrics API. Never Secrets, and not `nodes/proxy` (the kubelet API: the server's
 * nodes_log and nodes_stats_summary tools are turned off instead).
 */
export const KUBERNETES_MCP_READ_RULES: readonly k8s.PolicyRule[] = [
  {
    apiGroups: [''],
    resources: [
      'configmaps', 'endpoints', 'events', 'limitranges', 'namespaces', 'nodes', 'persistentvolumeclaims', 'persistentvolumes',
      'pods', 'pods/log', 'resourcequotas', 'services',
    ],
    verbs: [...READ_VERBS],
  },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: [...READ_VERBS] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: [...READ_VERBS] },
  { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'], verbs: [...READ_VERBS] },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: [...READ_VERBS] },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: [...READ_VERBS] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: [...READ_VERBS] },
  { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: [...READ_VERBS] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'ingressclasses'], verbs: [...READ_VERBS] },
  { apiGroups: ['ray.io'], resources: ['rayclusters', 'rayjobs', 'rayservices'], verbs: [...READ_VERBS] },
  { apiGroups: ['metrics.k8s.io'], resources: ['nodes', 'pods'], verbs: ['get', 'list'] },
];

/**
 * What the opt-in write access allows in each named namespace: change (and, with `allowDestructive`, delete) the
 * workloads an agent may fix (controllers and their scale, Jobs, Ray resources, ConfigMaps, Services), and
 * delete pods (a restart) only with `allowDestructive`. No Secrets, no pods/exec, no RBAC.
 */
export function kubernetesMcpWriteRules(allowDestructive: boolean): k8s.PolicyRule[] {
  const change = ['create', 'patch', 'update', ...(allowDestructive ? ['delete'] : [])];
  const rules: k8s.PolicyRule[] = [
    { apiGroups: [''], resources: ['configmaps', 'services'], verbs: change },
    { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'], verbs: change },
    // resources_scale reads the scale subresource, then updates it.
    { apiGroups: ['apps'], resources: ['deployments/scale', 'replicasets/scale', 'statefulsets/scale'], verbs: ['get', 'patch', 'update'] },
    { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: change },
    { apiGroups: ['ray.io'], resources: ['rayclusters', 'rayjobs', 'rayservices'], verbs: change },
  ];
  if (allowDestructive) rules.push({ apiGroups: [''], resources: ['pods'], verbs: ['delete'] });
  return rules;
}

/** The built-in ClusterRole the reference binds cluster-wide, reachable here only through a deliberately named setting. */
export const CLUSTER_WIDE_EDIT_ROLE = 'edit';
