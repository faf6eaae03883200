/**
 * A small RBAC authorizer over synthesized objects: does a ServiceAccount's binding grant a verb on a resource in a
 * namespace? Follows Kubernetes' rules (rbac.authorization.k8s.io/v1): a RoleBinding grants its Role's (or
 * ClusterRole's) rules in its own namespace, a ClusterRoleBinding grants a ClusterRole's rules everywhere; a rule
 * matches when its apiGroups, resources (`resource/subresource` named exactly) and verbs contain the request's, or
 * `*`. Built-in ClusterRoles the objects bind but do not define come from `builtIn`.
 * @module
 */
import type { K8sObject } from './synth.js';

/** One RBAC rule. */
export interface Rule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/** What is asked: `verb` on `apiGroup`/`resource` (with `/subresource`), in `namespace` (none: cluster scope). */
export interface AccessRequest {
  readonly verb: string;
  readonly apiGroup: string;
  readonly resource: string;
  readonly namespace?: string;
}

/** A ServiceAccount. */
export interface ServiceAccountRef {
  readonly name: string;
  readonly namespace: string;
}

const ANY = '*';

function ruleAllows(rule: Rule, request: AccessRequest): boolean {
  const has = (list: readonly string[], value: string) => list.includes(value) || list.includes(ANY);
  return has(rule.apiGroups, request.apiGroup) && has(rule.resources, request.resource) && has(rule.verbs, request.verb);
}

function boundTo(binding: K8sObject, subject: ServiceAccountRef): boolean {
  return (binding.subjects ?? []).some((s: any) => s.kind === 'ServiceAccount' && s.name === subject.name && s.namespace === subject.namespace);
}

/**
 * Whether the objects' bindings give `subject` `request`. `builtIn` holds the rules of ClusterRoles the cluster
 * brings (e.g. `edit`), by name; a binding to a role that is neither synthesized nor built in grants nothing.
 */
export function allows(objects: readonly K8sObject[], subject: ServiceAccountRef, request: AccessRequest, builtIn: Readonly<Record<string, readonly Rule[]>> = {}): boolean {
  const rulesOf = (kind: string, name: string, namespace?: string): readonly Rule[] => {
    const defined = objects.find((o) => o.kind === kind && o.metadata?.name === name && (kind === 'ClusterRole' || o.metadata?.namespace === namespace));
    if (defined) return defined.rules ?? [];
    return kind === 'ClusterRole' ? (builtIn[name] ?? []) : [];
  };
  for (const binding of objects) {
    if (!boundTo(binding, subject)) continue;
    if (binding.kind === 'ClusterRoleBinding') {
      if (rulesOf('ClusterRole', binding.roleRef.name).some((r) => ruleAllows(r, request))) return true;
    } else if (binding.kind === 'RoleBinding' && request.namespace !== undefined && binding.metadata.namespace === request.namespace) {
      if (rulesOf(binding.roleRef.kind, binding.roleRef.name, binding.metadata.namespace).some((r) => ruleAllows(r, request))) return true;
    }
  }
  return false;
}

const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const READ = ['get', 'list', 'watch'];

/**
 * The parts of Kubernetes' built-in `edit` ClusterRole (with the `view` rules it aggregates) that kubernetes-mcp-server's
 * tools touch, from the bootstrap policy (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go, Kubernetes 1.30):
 * pods and their exec/attach/portforward, Services, ConfigMaps, the apps and batch workloads with their scale
 * subresources, HorizontalPodAutoscalers and PodDisruptionBudgets. Not Ray resources: those join `edit` only if
 * KubeRay's aggregated roles are installed.
 */
export const BUILT_IN_EDIT_RULES: readonly Rule[] = [
  { apiGroups: [''], resources: ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], verbs: [...WRITE] },
  { apiGroups: [''], resources: ['configmaps', 'endpoints', 'persistentvolumeclaims', 'services', 'services/proxy'], verbs: [...WRITE] },
  {
    apiGroups: ['apps'],
    resources: ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'],
    verbs: [...WRITE],
  },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: [...WRITE] },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: [...WRITE] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: [...WRITE] },
  { apiGroups: [''], resources: ['configmaps', 'endpoints', 'persistentvolumeclaims', 'pods', 'pods/log', 'services', 'events', 'namespaces'], verbs: [...READ] },
  { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'], verbs: [...READ] },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: [...READ] },
];
