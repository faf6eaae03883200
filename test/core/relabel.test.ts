import { describe, expect, it } from 'vitest';
import {
  PodMonitorSpecPodMetricsEndpointsMetricRelabelingsAction,
  ServiceMonitorSpecEndpointsRelabelingsAction,
} from '../../imports/monitoring.coreos.com.js';
import { keepOnlyMetrics, nodeNameRelabeling, relabelingsFor } from '../../src/core/relabel.js';

describe('relabelingsFor', () => {
  it("writes each action as the member of the field's own enum, the other fields unchanged", () => {
    const configs = [nodeNameRelabeling(), keepOnlyMetrics(['b', 'a']), { action: 'labeldrop' as const, regex: 'x|y' }, { action: 'drop' as const, sourceLabels: ['__name__'], regex: 'z' }];
    expect(relabelingsFor(ServiceMonitorSpecEndpointsRelabelingsAction, configs)).toEqual([
      { action: ServiceMonitorSpecEndpointsRelabelingsAction.REPLACE, sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' },
      { action: ServiceMonitorSpecEndpointsRelabelingsAction.KEEP, sourceLabels: ['__name__'], regex: 'a|b' },
      { action: ServiceMonitorSpecEndpointsRelabelingsAction.LABELDROP, regex: 'x|y' },
      { action: ServiceMonitorSpecEndpointsRelabelingsAction.DROP, sourceLabels: ['__name__'], regex: 'z' },
    ]);
    // The same configs fit another field's enum: the values Prometheus reads are the same.
    const other = relabelingsFor(PodMonitorSpecPodMetricsEndpointsMetricRelabelingsAction, configs);
    expect(other.map((r) => r.action)).toEqual(['replace', 'keep', 'labeldrop', 'drop']);
  });

  it('copies sourceLabels, so a shared config is never aliased into two monitors', () => {
    const config = nodeNameRelabeling();
    const [typed] = relabelingsFor(ServiceMonitorSpecEndpointsRelabelingsAction, [config]);
    expect(typed!.sourceLabels).toEqual(config.sourceLabels);
    expect(typed!.sourceLabels).not.toBe(config.sourceLabels);
  });
});
