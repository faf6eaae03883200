import type { k8s } from 'cdk8s-plus-30';

/** Verbs that only read. */
export const READ_VERBS = ['get', 'list', 'watch'] as const;

/**
 * What an agent diagnosing AI/ML workloads needs to read, cluster-wide: pods and their logs, events, nodes,
 * services, namespaces, the workload controllers, ConfigMaps (training code and configs live there), the Ray
 * custom resources, and resource usage from the metrics API. Never Secrets.
 */
export const KUBERNETES_MCP_READ_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['configmaps', 'events', 'namespaces', 'nodes', 'pods', 'pods/log', 'services'], verbs: [...READ_VERBS] },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: [...READ_VERBS] },
  { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'], verbs: [...READ_VERBS] },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: [...READ_VERBS] },
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
    {
      apiGroups: ['apps'],
      resources: ['daemonsets', 'deployments', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'],
      verbs: change,
    },
    { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: change },
    { apiGroups: ['ray.io'], resources: ['rayclusters', 'rayjobs', 'rayservices'], verbs: change },
  ];
  if (allowDestructive) rules.push({ apiGroups: [''], resources: ['pods'], verbs: ['delete'] });
  return rules;
}

/** The built-in ClusterRole the reference binds cluster-wide, reachable here only through a deliberately named setting. */
export const CLUSTER_WIDE_EDIT_ROLE = 'edit';
