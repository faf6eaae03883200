import { describe, expect, it } from 'vitest';
import { cutToBytes, summarizeOutput, toolResultForModel } from '../../src/agent/tool-output.js';
import { DEFAULT_READ_ONLY_ALLOWLIST, targetNamespaces, ToolPolicy } from '../../src/agent/tool-policy.js';

const tool = (name: string, readOnlyHint?: boolean, destructiveHint?: boolean) => ({ name, description: '', inputSchema: {}, readOnlyHint, destructiveHint });

describe('the tool policy', () => {
  it('offers what the server marks read-only, and the default allowlist of the servers we deploy', () => {
    const p = new ToolPolicy();
    expect(p.decide('prometheus', tool('execute_query'))).toMatchObject({ offered: true, access: 'read', reason: 'on the read-only allowlist' });
    expect(p.decide('kubernetes', tool('pods_list', true))).toMatchObject({ offered: true, access: 'read' });
    expect(p.decide('kubernetes', tool('execute_query'))).toMatchObject({ offered: false });
    expect(p.decide('kubernetes', tool('resources_delete', false, true))).toEqual({ offered: false, reason: 'not read-only, and no write namespaces were given' });
    expect(p.decide('prometheus', tool('delete_series'))).toEqual({ offered: false, reason: 'not marked read-only and not on the allowlist' });
    expect(Object.keys(DEFAULT_READ_ONLY_ALLOWLIST).sort()).toEqual(['opensearch', 'prometheus']);
  });

  it('offers write tools of the Kubernetes server only, and only with write namespaces', () => {
    const p = new ToolPolicy({ writeNamespaces: ['team-b', 'team-a', 'team-a'] });
    expect(p.writeNamespaces).toEqual(['team-a', 'team-b']);
    expect(p.decide('kubernetes', tool('resources_scale', false, false))).toMatchObject({ offered: true, access: 'write', destructive: false });
    expect(p.decide('kubernetes', tool('resources_delete', false))).toMatchObject({ offered: true, access: 'write', destructive: true });
    expect(p.decide('opensearch', tool('DeleteIndexTool', false))).toMatchObject({ offered: false });
  });

  it('refuses writes outside the write namespaces, or naming none, before anyone is asked', () => {
    const p = new ToolPolicy({ writeNamespaces: ['team-a'] });
    expect(p.refuseWrite({ namespace: 'team-a', name: 'x' })).toBeUndefined();
    expect(p.refuseWrite({ namespace: 'kube-system' })).toBe('namespace kube-system is not a write namespace (team-a)');
    expect(p.refuseWrite({ name: 'x' })).toMatch(/names no namespace/);
    const manifest = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: team-b\n';
    expect(targetNamespaces({ resource: manifest })).toEqual(['team-b']);
    expect(p.refuseWrite({ resource: manifest })).toMatch(/team-b is not a write namespace/);
    expect(p.refuseWrite({ resource: manifest.replace('team-b', 'team-a') })).toBeUndefined();
    expect(p.refuseWrite({ namespace: 'team-a', resource: manifest })).toMatch(/team-b/);
    expect(p.refuseWrite({ resource: '{not yaml: [' })).toMatch(/names no namespace/);
  });
});

describe('tool output for the model', () => {
  it('cuts at a byte cap without splitting a character', () => {
    expect(cutToBytes('aé', 2)).toBe('a');
    expect(cutToBytes('aé', 3)).toBe('aé');
    const r = toolResultForModel({ server: 'opensearch', tool: 'SearchIndexTool', status: 'ok', output: 'x'.repeat(100), maxBytes: 10 });
    expect(r.truncated).toEqual({ shownBytes: 10, totalBytes: 100, hint: expect.stringMatching(/^Result cut to 10 bytes\. Narrow the search/) });
    expect(toolResultForModel({ server: 's', tool: 't', status: 'ok', output: 'small', maxBytes: 10 }).truncated).toBeUndefined();
  });

  it('summarises Prometheus results as series, other output as one line', () => {
    const prom = JSON.stringify({ resultType: 'vector', result: [{ metric: { __name__: 'up', namespace: 'a', pod: 'p' }, value: [1, '0.123456789'] }] });
    expect(summarizeOutput(prom)).toBe('1 series: up{namespace=a,pod=p} 0.1235');
    expect(summarizeOutput('line one\n  line two')).toBe('line one line two');
  });
});
