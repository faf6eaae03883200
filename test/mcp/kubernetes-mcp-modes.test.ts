/**
 * For each access mode of the Kubernetes MCP server: the tools the server offers (upstream's filter, applied to
 * upstream's own tool list with the flags and config file we synthesize) and, for every request each of them makes,
 * whether the Roles we synthesize grant it. docs/mcp.md carries the same table.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MCP_SERVER_IMAGES } from '../../src/mcp/mcp-images.js';
import { KUBERNETES_MCP_CORE_TOOLS, NAMED_KIND } from '../../src/mcp/kubernetes-mcp-tools.js';
import type { KubernetesMcpServerProps } from '../../src/mcp/kubernetes-mcp-server.js';
import { allows, BUILT_IN_EDIT_RULES } from '../support/rbac.js';
import { mcpProps, synthMcp } from '../support/mcp.js';
import { one } from '../support/synth.js';

interface UpstreamTool {
  readonly name: string;
  readonly readOnlyHint: boolean;
  readonly destructiveHint: boolean;
}
const upstream = JSON.parse(readFileSync(join(import.meta.dirname, 'data', 'kubernetes-mcp-server-core-tools.json'), 'utf8')) as {
  release: string;
  tools: UpstreamTool[];
};

const SERVER = { name: 'kubernetes-mcp-server', namespace: 'observability' };
const WRITE_NAMESPACE = 'team-a';
const READ_ONLY = ['events_list', 'namespaces_list', 'nodes_top', 'pods_get', 'pods_list', 'pods_list_in_namespace', 'pods_log', 'pods_top', 'resources_get', 'resources_list'];

const MODES: { name: string; props: KubernetesMcpServerProps; offered: string[]; namespace: string }[] = [
  { name: 'read-only (default)', props: {}, offered: READ_ONLY, namespace: 'any-namespace' },
  { name: 'writeNamespaces', props: { writeNamespaces: [WRITE_NAMESPACE] }, offered: [...READ_ONLY, 'resources_create_or_update', 'resources_scale'], namespace: WRITE_NAMESPACE },
  {
    name: 'writeNamespaces + allowDestructive',
    props: { writeNamespaces: [WRITE_NAMESPACE], allowDestructive: true },
    offered: [...READ_ONLY, 'pods_delete', 'resources_create_or_update', 'resources_delete', 'resources_scale'],
    namespace: WRITE_NAMESPACE,
  },
  {
    name: 'clusterWideEditAccessIUnderstandTheRisk',
    props: { clusterWideEditAccessIUnderstandTheRisk: true },
    offered: [...READ_ONLY, 'pods_run', 'resources_create_or_update', 'resources_scale'],
    namespace: 'any-namespace',
  },
  {
    name: 'clusterWideEditAccessIUnderstandTheRisk + allowDestructive',
    props: { clusterWideEditAccessIUnderstandTheRisk: true, allowDestructive: true },
    offered: [...READ_ONLY, 'pods_delete', 'pods_exec', 'pods_run', 'resources_create_or_update', 'resources_delete', 'resources_scale'],
    namespace: 'any-namespace',
  },
];

/** The kinds the generic resource tools are checked on: what a read covers, and what a write is for. */
const READ_KINDS = [
  { apiGroup: '', resource: 'pods' }, { apiGroup: 'apps', resource: 'deployments' }, { apiGroup: 'batch', resource: 'jobs' },
  { apiGroup: 'ray.io', resource: 'rayjobs' }, { apiGroup: '', resource: 'persistentvolumeclaims' }, { apiGroup: 'autoscaling', resource: 'horizontalpodautoscalers' },
];
const WRITE_KINDS = [{ apiGroup: 'apps', resource: 'deployments' }, { apiGroup: 'batch', resource: 'jobs' }, { apiGroup: '', resource: 'configmaps' }, { apiGroup: '', resource: 'services' }];
const SCALE_KINDS = [{ apiGroup: 'apps', resource: 'deployments' }, { apiGroup: 'apps', resource: 'statefulsets' }];

/** What upstream's isToolApplicable (pkg/mcp/mcp.go) leaves of its tool list, given our flags and config file. */
function offeredBy(args: string[], configToml: string): string[] {
  const readOnly = args.includes('--read-only');
  const disableDestructive = args.includes('--disable-destructive');
  const list = (key: string): string[] | undefined => {
    const line = configToml.split('\n').find((l) => l.startsWith(`${key} = `));
    return line ? (JSON.parse(line.slice(key.length + 3)) as string[]) : undefined;
  };
  const enabled = list('enabled_tools');
  const disabled = list('disabled_tools');
  return upstream.tools
    .filter((t) => !readOnly || t.readOnlyHint)
    .filter((t) => !disableDestructive || !t.destructiveHint)
    .filter((t) => !enabled || enabled.includes(t.name))
    .filter((t) => !disabled || !disabled.includes(t.name))
    .map((t) => t.name)
    .sort();
}

describe('kubernetes-mcp-server: each mode offers the tools its Roles serve', () => {
  it('knows every tool of the release we deploy, and its read-only hint agrees with how we class it', () => {
    expect(upstream.release).toBe(MCP_SERVER_IMAGES.kubernetes.split(':').pop());
    expect(upstream.tools.map((t) => t.name).sort()).toEqual(Object.keys(KUBERNETES_MCP_CORE_TOOLS).sort());
    for (const tool of upstream.tools) {
      const ours = KUBERNETES_MCP_CORE_TOOLS[tool.name]!;
      expect(['read', 'node-proxy', 'openshift'].includes(ours.class), tool.name).toBe(tool.readOnlyHint);
    }
  });

  it.each(MODES)('$name', ({ props, offered, namespace }) => {
    const { objects } = synthMcp(mcpProps({ kubernetes: props, opensearch: { enabled: false }, prometheus: { enabled: false } }));
    const container = one(objects, 'Deployment', 'kubernetes-mcp-server').spec.template.spec.containers[0];
    const configToml = one(objects, 'ConfigMap', 'kubernetes-mcp-server-config').data['config.toml'];
    expect(container.args).toContain('--config');
    expect(offeredBy(container.args, configToml)).toEqual([...offered].sort());
    // Never the kubelet API: nodes_log and nodes_stats_summary are not offered in any mode.
    expect(offered).not.toContain('nodes_log');

    const builtIn = { edit: BUILT_IN_EDIT_RULES };
    for (const name of offered) {
      for (const request of KUBERNETES_MCP_CORE_TOOLS[name]!.requests) {
        const kinds = request.apiGroup !== NAMED_KIND ? [request] : request.resource.endsWith('/scale') ? SCALE_KINDS : KUBERNETES_MCP_CORE_TOOLS[name]!.class === 'read' ? READ_KINDS : WRITE_KINDS;
        for (const kind of kinds) {
          const resource = request.apiGroup === NAMED_KIND && request.resource.endsWith('/scale') ? `${kind.resource}/scale` : kind.resource;
          // Reads are cluster-wide; what a write tool touches, in the namespace the mode writes to.
          const ns = KUBERNETES_MCP_CORE_TOOLS[name]!.class === 'read' ? 'any-namespace' : namespace;
          for (const verb of request.verbs) {
            expect(allows(objects, SERVER, { verb, apiGroup: kind.apiGroup, resource, namespace: ns }, builtIn), `${name}: ${verb} ${kind.apiGroup}/${resource} in ${ns}`).toBe(true);
          }
        }
      }
    }
  });

  it('docs/mcp.md names every tool a mode offers, and the ones never offered', () => {
    const docs = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'mcp.md'), 'utf8');
    for (const name of new Set(MODES.flatMap((m) => m.offered))) expect(docs, name).toContain(`\`${name}\``);
    const never = docs.slice(docs.indexOf('Never offered:'));
    for (const name of ['nodes_log', 'nodes_stats_summary', 'projects_list']) expect(never).toContain(`\`${name}\``);
  });

  it('keeps Secrets out of the generic resource tools, whatever the bindings allow', () => {
    const { objects } = synthMcp(mcpProps({ kubernetes: { clusterWideEditAccessIUnderstandTheRisk: true } }));
    const configToml: string = one(objects, 'ConfigMap', 'kubernetes-mcp-server-config').data['config.toml'];
    expect(configToml).toContain('[[denied_resources]]\ngroup = ""\nversion = "v1"\nkind = "Secret"');
  });
});
