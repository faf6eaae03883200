import { describe, expect, it } from 'vitest';
import { configToProps } from '../../src/config/config-schema.js';
import { parseConfig } from '../../src/config/load-config.js';
import { configProblems } from '../support/config.js';

/** The config keys of docs/security.md: `nodeAgentsNamespace`, `networkPolicies`, and their errors by key. */
describe('isolation keys of observability.yaml', () => {
  it('map onto the chart props', () => {
    const props = configToProps(parseConfig('nodeAgentsNamespace: agents\nnetworkPolicies:\n  enabled: false\n  controlPlaneCidrs: 10.0.0.0/24, fd00::/64\n'));
    expect(props.nodeAgentsNamespace).toBe('agents');
    expect(props.networkPolicies).toEqual({ enabled: false, controlPlaneCidrs: ['10.0.0.0/24', 'fd00::/64'] });
    expect(configToProps(parseConfig('{}\n')).networkPolicies).toEqual({ enabled: undefined, controlPlaneCidrs: undefined });
  });

  it('name the key of a bad value', () => {
    expect(configProblems('networkPolicies:\n  controlPlaneCidrs: 10.0.0.0/33\n')[0]).toMatch(/^networkPolicies\.controlPlaneCidrs: "10\.0\.0\.0\/33" is not allowed/);
    expect(configProblems('nodeAgentsNamespace: Node_Agents\n')[0]).toMatch(/^nodeAgentsNamespace: "Node_Agents" is not allowed: must be a DNS label/);
    expect(configProblems(`namespace: ${'n'.repeat(60)}\n`)).toEqual([expect.stringMatching(/^nodeAgentsNamespace: the default, "n{60}-node-agents", is longer than the 63 characters a namespace name may have: name the node agents' namespace with nodeAgentsNamespace, or shorten namespace/)]);
    expect(configProblems('networkPolicies:\n  enabeld: false\n')[0]).toMatch(/^networkPolicies\.enabeld: unknown key/);
  });
});
