/**
 * The tools of kubernetes-mcp-server's `core` toolset (v0.0.66, the image we deploy) and the Kubernetes API requests
 * each makes, read from its source (pkg/kubernetes/{events,namespaces,nodes,pods,resources}.go at v0.0.66), and which of them the
 * server offers in each access mode. The server gets the mode's tools as its `enabled_tools`, so it offers exactly
 * the tools the mode's Roles can serve; test/mcp/kubernetes-mcp-modes.test.ts checks every request of every offered
 * tool against the Roles synthesized for the mode.
 * @module
 */

/** A request a tool makes: `verbs` on `apiGroup`/`resource` (subresources as `resource/subresource`). */
export interface ToolRequest {
  readonly apiGroup: string;
  /**
   * The resource, or {@link NAMED_KIND} for the generic resource tools, which act on whatever kind the caller names
   * (with `/scale` appended for the scale subresource).
   */
  readonly resource: string;
  readonly verbs: readonly string[];
}

/** Stands for the kind a caller of `resources_*` names. */
export const NAMED_KIND = '<named kind>';

/**
 * What a tool does, which decides the modes it is offered in:
 * - `read`: reads only;
 * - `change`: creates or changes objects of a named kind (server-side apply, scale);
 * - `delete`: deletes objects (also what upstream marks destructive among the change tools);
 * - `run`: creates a Pod of any image (pods_run);
 * - `exec`: runs a command in a container (pods_exec);
 * - `node-proxy`: reads from the kubelet through `nodes/proxy`, which is never granted;
 * - `openshift`: reads OpenShift projects, which the read Role does not cover.
 */
export type ToolClass = 'read' | 'change' | 'delete' | 'run' | 'exec' | 'node-proxy' | 'openshift';

/** A tool of the `core` toolset. */
export interface KubernetesMcpTool {
  readonly class: ToolClass;
  readonly requests: readonly ToolRequest[];
}

const core = (resource: string, ...verbs: string[]): ToolRequest => ({ apiGroup: '', resource, verbs });
const metrics = (resource: string): ToolRequest => ({ apiGroup: 'metrics.k8s.io', resource, verbs: ['get', 'list'] });
const named = (...verbs: string[]): ToolRequest => ({ apiGroup: NAMED_KIND, resource: NAMED_KIND, verbs });

/**
 * The `core` toolset of kubernetes-mcp-server v0.0.66, by tool name. Every tool also asks for discovery and, when
 * listing across namespaces, a SelfSubjectAccessReview; every authenticated user may do both (the built-in
 * `system:discovery` and `system:basic-user` roles), so they are left out.
 */
export const KUBERNETES_MCP_CORE_TOOLS: Readonly<Record<string, KubernetesMcpTool>> = {
  events_list: { class: 'read', requests: [core('events', 'list')] },
  namespaces_list: { class: 'read', requests: [core('namespaces', 'list')] },
  nodes_log: { class: 'node-proxy', requests: [core('nodes', 'get'), core('nodes/proxy', 'get')] },
  nodes_stats_summary: { class: 'node-proxy', requests: [core('nodes', 'get'), core('nodes/proxy', 'get')] },
  nodes_top: { class: 'read', requests: [metrics('nodes')] },
  pods_delete: { class: 'delete', requests: [core('pods', 'get', 'delete'), core('services', 'list', 'delete')] },
  pods_exec: { class: 'exec', requests: [core('pods', 'get'), core('pods/exec', 'create')] },
  pods_get: { class: 'read', requests: [core('pods', 'get')] },
  pods_list: { class: 'read', requests: [core('pods', 'list')] },
  pods_list_in_namespace: { class: 'read', requests: [core('pods', 'list')] },
  pods_log: { class: 'read', requests: [core('pods/log', 'get')] },
  // Server-side apply of a Pod (and a Service when a port is given): patch, and create for a new object.
  pods_run: { class: 'run', requests: [core('pods', 'create', 'patch'), core('services', 'create', 'patch')] },
  pods_top: { class: 'read', requests: [metrics('pods')] },
  // OpenShift only (registered when the cluster serves project.openshift.io); not granted here.
  projects_list: { class: 'openshift', requests: [{ apiGroup: 'project.openshift.io', resource: 'projects', verbs: ['list'] }] },
  // Server-side apply: patch, and create when the object is new.
  resources_create_or_update: { class: 'change', requests: [named('create', 'patch')] },
  resources_delete: { class: 'delete', requests: [named('delete')] },
  resources_get: { class: 'read', requests: [named('get')] },
  resources_list: { class: 'read', requests: [named('list')] },
  // GET of the scale subresource, then UPDATE of it.
  resources_scale: { class: 'change', requests: [{ apiGroup: NAMED_KIND, resource: `${NAMED_KIND}/scale`, verbs: ['get', 'update'] }] },
};

/** How much the Kubernetes server may change. */
export interface KubernetesMcpAccessMode {
  /** Write Roles in named namespaces, or the cluster-wide `edit` binding. */
  readonly write: 'none' | 'namespaces' | 'cluster-wide-edit';
  /** Deletions (and, with cluster-wide edit, pods_exec) allowed. */
  readonly allowDestructive: boolean;
}

/** The tool classes a mode offers. Never `node-proxy`; `run` and `exec` only where `edit` grants Pods and pods/exec. */
export function toolClassesOf(mode: KubernetesMcpAccessMode): readonly ToolClass[] {
  if (mode.write === 'none') return ['read'];
  const classes: ToolClass[] = ['read', 'change'];
  if (mode.write === 'cluster-wide-edit') classes.push('run');
  if (mode.allowDestructive) classes.push('delete');
  if (mode.allowDestructive && mode.write === 'cluster-wide-edit') classes.push('exec');
  return classes;
}

/** Names of the tools the server offers in `mode`, sorted (its `enabled_tools`). */
export function kubernetesMcpToolsFor(mode: KubernetesMcpAccessMode): string[] {
  const classes = toolClassesOf(mode);
  return Object.entries(KUBERNETES_MCP_CORE_TOOLS)
    .filter(([, tool]) => classes.includes(tool.class))
    .map(([name]) => name)
    .sort();
}
