import { describe, expect, it } from 'vitest';
import { defaultValues } from '../support/helm-values.js';
import { OPENCOST_MCP_PORT } from '../../src/opencost/opencost.js';
import { helmReleaseValues, ofKind, synthStack } from '../support/synth.js';

describe('OpenCost', () => {
  it('reads from the Prometheus service the stack computes', () => {
    const { chart, objects } = synthStack({ prometheusStack: { releaseName: 'prom' }, namespace: 'obs' });
    const internal = helmReleaseValues(objects, 'opencost').opencost.prometheus.internal;
    expect(internal).toMatchObject({
      enabled: true,
      serviceName: chart.prometheusStack!.prometheusServiceName,
      namespaceName: 'obs',
      port: chart.prometheusStack!.prometheusPort,
    });
  });

  it('has its ServiceMonitor picked up by that Prometheus', () => {
    const { chart, objects } = synthStack({ prometheusStack: { releaseName: 'prom' } });
    const sm = helmReleaseValues(objects, 'opencost').opencost.metrics.serviceMonitor;
    expect(sm.enabled).toBe(true);
    const selector = helmReleaseValues(objects, 'prom').prometheus.prometheusSpec.serviceMonitorSelector.matchLabels;
    expect(sm.additionalLabels).toEqual(expect.objectContaining(selector));
    expect(chart.openCost!.serviceName).toBe(helmReleaseValues(objects, 'opencost').fullnameOverride);
  });

  it("keeps OpenCost's unauthenticated MCP server off unless asked for (the chart turns it on by default)", () => {
    const chartDefault = (defaultValues('opencost') as { opencost: { mcp: unknown } }).opencost.mcp;
    expect(chartDefault).toMatchObject({ enabled: true, port: OPENCOST_MCP_PORT });
    const off = synthStack();
    expect(helmReleaseValues(off.objects, 'opencost').opencost.mcp).toEqual({ enabled: false, port: OPENCOST_MCP_PORT });
    expect(off.chart.openCost!.mcpPort).toBeUndefined();
    const on = synthStack({ openCost: { mcpServer: true } });
    expect(helmReleaseValues(on.objects, 'opencost').opencost.mcp.enabled).toBe(true);
    expect(on.chart.openCost!.mcpPort).toBe(OPENCOST_MCP_PORT);
  });

  it('sets requests and limits on the exporter and the UI', () => {
    const values = helmReleaseValues(synthStack().objects, 'opencost').opencost;
    for (const c of [values.exporter, values.ui]) {
      expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
    }
  });

  it('is removed with its toggle, follows the Prometheus stack by default, and cannot be forced on without it', () => {
    const { objects } = synthStack({ openCost: { enabled: false } });
    expect(ofKind(objects, 'HelmRelease').map((r) => r.metadata.name)).not.toContain('opencost');
    const withoutPrometheus = synthStack({ prometheusStack: { enabled: false } });
    expect(withoutPrometheus.chart.openCost).toBeUndefined();
    expect(ofKind(withoutPrometheus.objects, 'HelmRelease').map((r) => r.metadata.name)).not.toContain('opencost');
    expect(() => synthStack({ prometheusStack: { enabled: false }, openCost: { enabled: true } })).toThrow(
      /openCost\.enabled: needs the Prometheus stack: set prometheusStack\.enabled to true/,
    );
  });
});
