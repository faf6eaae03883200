import { describe, expect, it } from 'vitest';
import type { DeliveryMode } from '../src/core/chart-delivery.js';
import { kubeValidate } from './support/kube-validate.js';
import { synthStack } from './support/synth.js';

describe('strict schema validation of the whole stack (../shared/tools/kube-validate)', () => {
  it.each<DeliveryMode>(['flux', 'argocd', 'external'])('%s delivery: every object is valid', (delivery) => {
    const { objects } = synthStack({ delivery });
    const result = kubeValidate(objects);
    expect(result.invalid, result.output).toBe(0);
  });

  it('catches an unknown field (the check itself can fail)', () => {
    const result = kubeValidate([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, dta: { a: 'b' } }]);
    expect(result.invalid).toBe(1);
  });
});
