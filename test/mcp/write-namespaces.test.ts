import { describe, expect, it } from 'vitest';
import { KUBERNETES_SYSTEM_NAMESPACES } from '../../src/mcp/kubernetes-mcp-server.js';
import { configProblems } from '../support/config.js';
import { mcpProps, synthMcp } from '../support/mcp.js';
import { ofKind, synthStack } from '../support/synth.js';

/** The namespaces the Kubernetes MCP server's write Roles are in. */
function writeRoleNamespaces(objects: { kind: string; metadata: { name: string; namespace?: string } }[]): string[] {
  return ofKind(objects as never, 'Role')
    .filter((r) => r.metadata.name.startsWith('kubernetes-mcp-server-'))
    .map((r) => r.metadata.namespace!)
    .sort();
}

describe('mcp.kubernetes.writeNamespaces refuses the system and the stack namespaces (issue 15 item 11)', () => {
  const mcpOn = (kubernetes: Record<string, unknown>) =>
    synthStack({ mcp: { enabled: true, opensearch: { enabled: false }, kubernetes } });

  it.each([...KUBERNETES_SYSTEM_NAMESPACES])('refuses %s, naming the key and the flag', (ns) => {
    expect(() => synthMcp(mcpProps({ kubernetes: { writeNamespaces: ['team-a', ns] } }))).toThrow(
      new RegExp(`kubernetes\\.writeNamespaces\\.1: "${ns}" is a Kubernetes system namespace .*set kubernetes\\.writeSystemNamespacesIUnderstandTheRisk to true if you mean it`),
    );
  });

  it("refuses the stack's namespace and the node agents' namespace", () => {
    expect(() => mcpOn({ writeNamespaces: ['observability'] })).toThrow(/mcp\.kubernetes\.writeNamespaces\.0: "observability" is a namespace of the observability stack/);
    expect(() => mcpOn({ writeNamespaces: ['observability-node-agents'] })).toThrow(/mcp\.kubernetes\.writeNamespaces\.0: "observability-node-agents" is a namespace of the observability stack/);
    // With another stack namespace, that one is refused and "observability" is an ordinary namespace.
    expect(() => synthStack({ namespace: 'obs', mcp: { enabled: true, opensearch: { enabled: false }, kubernetes: { writeNamespaces: ['obs'] } } })).toThrow(/"obs" is a namespace of the observability stack/);
    expect(writeRoleNamespaces(synthStack({ namespace: 'obs', mcp: { enabled: true, opensearch: { enabled: false }, kubernetes: { writeNamespaces: ['observability'] } } }).objects)).toEqual(['observability']);
  });

  it('accepts them with the flag, and the flag alone grants nothing', () => {
    const { objects } = mcpOn({ writeNamespaces: ['kube-system', 'observability', 'team-a'], writeSystemNamespacesIUnderstandTheRisk: true });
    expect(writeRoleNamespaces(objects)).toEqual(['kube-system', 'observability', 'team-a']);
    expect(writeRoleNamespaces(mcpOn({ writeSystemNamespacesIUnderstandTheRisk: true }).objects)).toEqual([]);
    expect(writeRoleNamespaces(mcpOn({ writeNamespaces: ['team-a'] }).objects)).toEqual(['team-a']);
  });

  it('names the config keys in the error', () => {
    expect(configProblems('mcp:\n  enabled: true\n  opensearch: { enabled: false }\n  kubernetes:\n    writeNamespaces: team-a, kube-system\n')).toEqual([
      expect.stringMatching(
        /^mcp\.kubernetes\.writeNamespaces: "kube-system" is a Kubernetes system namespace .*; remove it, or set mcp\.kubernetes\.writeSystemNamespacesIUnderstandTheRisk to true if you mean it/,
      ),
    ]);
    expect(configProblems('mcp:\n  enabled: true\n  opensearch: { enabled: false }\n  kubernetes:\n    writeNamespaces: kube-system\n    writeSystemNamespacesIUnderstandTheRisk: true\n')).toEqual([]);
  });
});
