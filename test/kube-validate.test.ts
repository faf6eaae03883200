import { describe, expect, it } from 'vitest';
import type { DeliveryMode } from '../src/core/chart-delivery.js';
import { kubeValidate, UNCHECKED_PATTERNS } from './support/kube-validate.js';
import { join } from 'node:path';
import { synthStack } from './support/synth.js';
import { TEST_OPENSEARCH_IMAGE } from './support/mcp.js';

describe('strict schema validation of the whole stack (test/support/kube-validate)', () => {
  it.each<DeliveryMode>(['flux', 'argocd', 'external'])('%s delivery: every object is valid', (delivery) => {
    const { objects } = synthStack({ delivery });
    const result = kubeValidate(objects);
    expect(result.invalid, result.output).toBe(0);
  });

  it('helm delivery (the helm stand-in, test/support/helm-standin: it renders no chart, so this checks our own objects and the setup around the rendered output): every object is valid', () => {
    const helm = join(import.meta.dirname, 'support', 'helm-standin', 'helm.mjs');
    const { objects } = synthStack({ delivery: 'helm', deliveryOptions: { helm: { helmExecutable: helm } }, mcp: { enabled: true, opensearch: { image: TEST_OPENSEARCH_IMAGE } } });
    expect(objects.filter((o) => o.kind === 'NetworkPolicy').length).toBeGreaterThan(10);
    const result = kubeValidate(objects);
    expect(result.invalid, result.output).toBe(0);
  });

  it.each<DeliveryMode>(['flux', 'argocd', 'external'])('%s delivery with MCP, neuron-monitor and nodeAgentsNamespace: the NetworkPolicies, Namespaces and Secret mirror are valid', (delivery) => {
    const { objects } = synthStack({ delivery, nodeAgentsNamespace: 'agents', mcp: { enabled: true, opensearch: { image: TEST_OPENSEARCH_IMAGE } }, gpuExporters: { neuron: { enabled: true } } });
    expect(objects.filter((o) => ['NetworkPolicy', 'Namespace', 'CronJob'].includes(o.kind)).length).toBeGreaterThan(15);
    const result = kubeValidate(objects);
    expect(result.invalid, result.output).toBe(0);
  });

  it('checks every pattern of those schemas (none is one JavaScript cannot compile, so none is skipped)', () => {
    expect([...UNCHECKED_PATTERNS]).toEqual([]);
  });

  it('catches an unknown field (the check itself can fail)', () => {
    const result = kubeValidate([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, dta: { a: 'b' } }]);
    expect(result.invalid).toBe(1);
    expect(result.output).toContain('/ must NOT have additional properties: dta');
  });

  it('catches an unknown field deep inside a custom resource, and a kind it has no schema for', () => {
    const result = kubeValidate([
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'x' }, spec: { selector: {}, endpoints: [{ port: 'http', intervall: '30s' }] } },
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'y' } },
    ]);
    expect(result.invalid).toBe(2);
    expect(result.output).toContain('/spec/endpoints/0 must NOT have additional properties: intervall');
    expect(result.output).toContain('no schema known for example.com/v1 Widget');
    expect(result.output).toMatch(/2 invalid, 1 of unknown kind$/);
  });
});
