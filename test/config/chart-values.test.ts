/**
 * Pass-through values (`charts.values.<chart>`) checked against the pinned chart's keys (issue 15 item 8). The keys
 * come from each chart's values.yaml (src/core/upstream-chart-keys.ts, written by scripts/upstream-data.ts from
 * ../shared/helm-values: kube-prometheus-stack 88.5.3, opencost 2.5.17, fluent-operator 4.3.0, ...).
 */
import { describe, expect, it } from 'vitest';
import { ConfigFileError, readConfig } from '../../src/config/load-config.js';
import { UPSTREAM_CHART_KEYS } from '../../src/core/upstream-chart-keys.js';
import { synthStack } from '../support/synth.js';

function issues(values: string): { path: string; message: string; line?: number }[] {
  try {
    readConfig(`charts:\n  delivery: flux\n  values:\n${values}`, 'observability.yaml');
  } catch (error) {
    if (error instanceof ConfigFileError) return error.issues.map(({ path, message, line }) => ({ path, message, line }));
    throw error;
  }
  return [];
}

const kps = (yaml: string) => `    kube-prometheus-stack:\n${yaml.replace(/^/gm, '      ')}\n`;

describe('pass-through values and the pinned chart', () => {
  it('refuses a key the chart does not have, naming the chart and version, the key and its line, with a did-you-mean', () => {
    expect(issues(kps('prometheus:\n  prometheusSpec:\n    retension: 30d'))).toEqual([
      {
        path: 'charts.values.kube-prometheus-stack.prometheus.prometheusSpec.retension',
        message: "is not a value of the kube-prometheus-stack 88.5.3 chart (did you mean 'retention'?)",
        line: 7,
      },
    ]);
    expect(issues('    opencost:\n      opencost:\n        exportr:\n          replicas: 2\n')[0]).toMatchObject({
      path: 'charts.values.opencost.opencost.exportr',
      message: expect.stringMatching(/^is not a value of the opencost 2\.5\.17 chart \(did you mean 'exporter'\?\)/),
    });
    expect(issues(kps('prometheus:\n  prometheusSpec:\n    retention: 30d\n    retentionSize: 40GB'))).toEqual([]);
    expect(issues(kps('prometheus:\n  xyzzy: 1'))[0]!.message).toMatch(/^is not a value of the kube-prometheus-stack 88\.5\.3 chart; its keys here include enabled, /);
  });

  it('takes anything below open maps: a {} default, subcharts, and keys the chart documents as free-form', () => {
    // The generated tree says so: {} for open maps, keys for the others.
    expect(UPSTREAM_CHART_KEYS['kube-prometheus-stack'].grafana).toEqual({});
    expect(UPSTREAM_CHART_KEYS['kube-prometheus-stack'].commonLabels).toEqual({});
    expect(Object.keys(UPSTREAM_CHART_KEYS['kube-prometheus-stack'].prometheus as object)).toContain('prometheusSpec');
    const open = kps(
      [
        'commonLabels: { team: ml }',
        'grafana:',
        '  grafana.ini: { server: { root_url: https://grafana.example.com } }',
        '  sidecar: { dashboards: { searchNamespace: ALL } }',
        'alertmanager:',
        '  config:',
        '    global: { slack_api_url_file: /etc/alertmanager/secrets/slack }',
        'prometheus:',
        '  prometheusSpec:',
        '    resources: { requests: { cpu: 500m, ephemeral-storage: 1Gi } }',
        '    nodeSelector: { node-role: monitoring }',
        '    externalLabels: { cluster: prod-eu-1 }',
      ].join('\n'),
    );
    expect(issues(open)).toEqual([]);
  });

  it('refuses a credential written as a literal, pointing at the option that keeps it in a Secret', () => {
    expect(issues(kps('grafana:\n  adminPassword: hunter2hunter2'))).toEqual([
      {
        path: 'charts.values.kube-prometheus-stack.grafana.adminPassword',
        message:
          "is a credential written as a literal: it would be written to dist/ in plain text in the chart's values; set prometheus-stack.grafana.adminPassword or prometheus-stack.grafana.existingSecret instead (kept in a Secret)",
        line: 6,
      },
    ]);
    expect(issues('    fluent-operator:\n      fluentbit:\n        output:\n          loki:\n            httpPassword: mypass\n')[0]).toMatchObject({
      path: 'charts.values.fluent-operator.fluentbit.output.loki.httpPassword',
      message: expect.stringMatching(/is a credential written as a literal.*give the chart a Secret instead/),
    });
    // References to Secrets are not credentials.
    expect(issues(kps('grafana:\n  admin:\n    existingSecret: grafana-admin\n    passwordKey: admin-password'))).toEqual([]);
  });

  it('checks the library props the same way (chartValues), naming the prop and the library option', () => {
    expect(() => synthStack({ delivery: 'flux', chartValues: { 'kube-prometheus-stack': { prometheus: { prometheusSpec: { retension: '30d' } } } } })).toThrow(
      /chartValues\.kube-prometheus-stack\.prometheus\.prometheusSpec\.retension: is not a value of the kube-prometheus-stack 88\.5\.3 chart \(did you mean 'retention'\?\)/,
    );
    expect(() => synthStack({ delivery: 'flux', chartValues: { 'kube-prometheus-stack': { grafana: { adminPassword: 'hunter2hunter2' } } } })).toThrow(
      /set prometheusStack\.grafana\.adminPassword or prometheusStack\.grafana\.existingSecret instead/,
    );
  });
});
