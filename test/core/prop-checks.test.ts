import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describePropIssue, msg, PropError, propError, withinProp } from '../../src/core/prop-error.js';
import { checkProp, cidr, cpuQuantity, dnsLabel, numberIn, password, pinnedImage, PropChecks, storageSize } from '../../src/core/value-types.js';

const problem = (type: z.ZodType, value: unknown) => {
  try {
    checkProp(type, value, 'prop');
  } catch (error) {
    return (error as PropError).message;
  }
  return undefined;
};

describe('PropError', () => {
  it('names props by their path, and by the path from the props that held them when re-thrown', () => {
    const error = propError('nodes.replicas', msg`must be 3 with ${['nodes', 'quorum']} on`);
    expect(error.message).toBe('nodes.replicas: must be 3 with nodes.quorum on');
    let outer: PropError | undefined;
    try {
      withinProp('openSearch', () => {
        throw error;
      });
    } catch (e) {
      outer = e as PropError;
    }
    if (!outer) throw new Error('withinProp swallowed the error');
    expect(outer.message).toBe('openSearch.nodes.replicas: must be 3 with openSearch.nodes.quorum on');
    expect(describePropIssue(outer.issues[0]!, (path) => path.join('/').toUpperCase())).toBe('OPENSEARCH/NODES/REPLICAS: must be 3 with OPENSEARCH/NODES/QUORUM on');
  });

  it('collects every problem before throwing', () => {
    const checks = new PropChecks();
    checks.check(dnsLabel(), 'Bad_Name', 'namespace');
    checks.check(dnsLabel(), undefined, 'left-out');
    checks.fail('a.b', 'is wrong');
    expect(() => checks.throwIfAny()).toThrow(/^namespace: "Bad_Name" is not allowed: must be a DNS label.*\na\.b: is wrong$/s);
  });
});

describe('value types', () => {
  it('say what is allowed', () => {
    expect(problem(numberIn(1, 100, { int: true }), 2.5)).toBe('prop: 2.5 is not allowed: must be a whole number from 1 to 100');
    expect(problem(storageSize, '0Gi')).toBe('prop: "0Gi" is not allowed: must be a size such as 50Gi or 500Mi (more than 0)');
    expect(problem(cpuQuantity, '0')).toMatch(/"0" is not allowed: must be a CPU quantity/);
    expect(problem(dnsLabel(), 'a'.repeat(64))).toMatch(/at most 63 characters/);
    expect(problem(z.boolean(), 'yes')).toBe('prop: expected true or false, got "yes"');
  });

  it('accept only pinned, lower-case image references, never :latest', () => {
    for (const image of ['quay.io/containers/kubernetes_mcp_server:v0.0.57', 'localhost:5000/a/b:1', `x/y@sha256:${'a'.repeat(64)}`]) {
      expect(problem(pinnedImage, image), image).toBeUndefined();
    }
    for (const image of ['x/y', 'x/y:latest', 'Registry/Image:1', 'my image:1']) expect(problem(pinnedImage, image), image).toMatch(/is not allowed/);
  });

  it('accept CIDRs only', () => {
    expect(problem(cidr, '10.0.0.0/8')).toBeUndefined();
    expect(problem(cidr, 'fd00::/8')).toBeUndefined();
    expect(problem(cidr, '300.0.0.0/8')).toMatch(/must be a CIDR/);
    expect(problem(cidr, '10.0.0.0/33')).toMatch(/must be a CIDR/);
    expect(problem(cidr, 'deadbeef/0')).toBe('prop: "deadbeef/0" is not allowed: must be a CIDR such as 10.0.0.1/32 or fd00::/8');
    expect(problem(cidr, ':::/1')).toMatch(/must be a CIDR/);
  });

  it('never show a password, even a password of the wrong type', () => {
    expect(problem(password(12), 'hunter2')).toBe('prop: must be at least 12 characters long (got 7)');
    expect(problem(password(12), 123456789012345)).toBe('prop: expected a string, got a number');
    expect(problem(password(12), 'tab\tinside-a-long-one')).toBe('prop: must not contain control characters (newlines, tabs, ...)');
  });
});
