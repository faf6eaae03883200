import { describe, expect, it } from 'vitest';
import type { DeliveryMode } from '../src/core/chart-delivery.js';
import { kubeValidate, UNCHECKED_PATTERNS } from './support/kube-validate.js';
import { synthStack } from './support/synth.js';

describe('strict schema validation of the whole stack (test/support/kube-validate)', () => {
  it.each<DeliveryMode>(['flux', 'argocd', 'external'])('%s delivery: every object is valid', (delivery) => {
    const { objects } = synthStack({ delivery });
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
