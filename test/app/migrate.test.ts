/**
 * `aiml-observability migrate` (issue 15 item 9) on a values file written here in the reference umbrella chart's
 * layout (toggles and credentials at the top, one section per subchart, `opencost:` twice), not a copy of theirs.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { synthesize } from '../../app/main.js';
import { migrateValues, runMigrate } from '../../app/migrate.js';
import { ConfigFileError, readConfig } from '../../src/config/load-config.js';

const REFERENCE_LAYOUT = `# an umbrella chart's values, in the reference's layout
prometheus-stack:
  enabled: true
opensearch:
  enabled: true
  credentials:
    adminUsername: admin
    adminPassword: admin
    dashboardUserPassword: kibanaserver
fluentbit:
  enabled: true
opencost:
  enabled: true
endpoints:
  enabled: true
dashboards:
  enabled: true
mcp:
  enabled: true
  kubernetes:
    enabled: true
  opensearch:
    enabled: false
  prometheus:
    enabled: true
kube-prometheus-stack:
  grafana:
    adminPassword: prom-operator
    persistence:
      enabled: true
  prometheus:
    prometheusSpec:
      retention: 15d
      retension: 30d
opensearch-operator:
  manager:
    resources:
      limits:
        memory: 512Mi
fluent-operator:
  fluentbit:
    enable: true
opencost:
  opencost:
    exporter:
      defaultClusterId: gpu-cluster-1
global:
  storageClass: gp3
`;

function run(argv: string[], cwd: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const code = runMigrate(argv, { stdout, stderr }, cwd);
  return { code, out: `${stdout.read() ?? ''}`, err: `${stderr.read() ?? ''}` };
}

describe('aiml-observability migrate', () => {
  it('carries the toggles and the subchart sections, refuses the public default passwords, lists what it left out', () => {
    const migration = migrateValues(REFERENCE_LAYOUT, 'values.yaml');
    expect(migration.notes).toEqual([expect.stringMatching(/^opencost: appears twice \(lines 12 and 43\); both are read and merged, the later one \(line 43\) winning/)]);
    expect(migration.carried).toEqual(
      expect.arrayContaining([
        'prometheus-stack.enabled -> prometheus-stack.enabled',
        'opensearch.credentials.adminUsername -> opensearch.credentials.adminUsername',
        'opencost.enabled -> opencost.enabled',
        'mcp.kubernetes.enabled -> mcp.kubernetes.enabled',
        'kube-prometheus-stack.prometheus.prometheusSpec.retention -> charts.values.kube-prometheus-stack.prometheus.prometheusSpec.retention',
        'kube-prometheus-stack.grafana.persistence.enabled -> charts.values.kube-prometheus-stack.grafana.persistence.enabled',
        'opensearch-operator.manager.resources.limits.memory -> charts.values.opensearch-operator.manager.resources.limits.memory',
        'fluent-operator.fluentbit.enable -> charts.values.fluent-operator.fluentbit.enable',
        'opencost.opencost.exporter.defaultClusterId -> charts.values.opencost.opencost.exporter.defaultClusterId',
      ]),
    );
    expect(migration.leftOut).toEqual([
      'global.storageClass: no such key in observability.yaml',
      expect.stringMatching(/^opensearch\.credentials\.adminPassword: is the OpenSearch image's demo admin password, known to anyone; not carried: a password is generated/),
      expect.stringMatching(/^opensearch\.credentials\.dashboardUserPassword: is the OpenSearch image's demo kibanaserver password/),
      expect.stringMatching(/^kube-prometheus-stack\.grafana\.adminPassword: is kube-prometheus-stack's documented Grafana admin password/),
      "kube-prometheus-stack.prometheus.prometheusSpec.retension: charts.values.kube-prometheus-stack.prometheus.prometheusSpec.retension is not a value of the kube-prometheus-stack 88.5.3 chart (did you mean 'retention'?)",
    ]);
    const body = migration.text.split('\n').filter((line) => !line.startsWith('#')).join('\n');
    expect(body).not.toMatch(/prom-operator|kibanaserver|adminPassword|dashboardUserPassword/);
  });

  it('writes an observability.yaml that npx cdk8s synth accepts and synthesizes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'obs-migrate-'));
    writeFileSync(join(dir, 'values.yaml'), REFERENCE_LAYOUT);
    const first = run(['values.yaml', '--delivery', 'flux'], dir);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^wrote observability\.yaml: \d+ keys carried over\nnote: opencost: appears twice/);
    expect(first.out).toMatch(/not carried over \(5\):\n  - global\.storageClass/);
    // It does not overwrite a file without --force.
    expect(run(['values.yaml'], dir)).toMatchObject({ code: 1, err: expect.stringMatching(/observability\.yaml exists: pass -o <another file>, or --force/) });

    const result = synthesize('dist', {}, dir);
    expect(result.generatedCredentials).toEqual(expect.arrayContaining(['observability/logs/opensearch-admin-password', 'observability/kube-prometheus-stack/grafana-admin-password']));
    const objects = result.files.flatMap((f) => parseAllDocuments(readFileSync(join(dir, 'dist', f), 'utf8')).map((d) => d.toJS()));
    const release = (name: string) => objects.find((o) => o.kind === 'HelmRelease' && o.spec.chart.spec.chart === name);
    expect(release('kube-prometheus-stack').spec.values.prometheus.prometheusSpec.retention).toBe('15d');
    expect(release('kube-prometheus-stack').spec.values.grafana.persistence.enabled).toBe(true);
    expect(release('opencost').spec.values.opencost.exporter.defaultClusterId).toBe('gpu-cluster-1');
    expect(release('opensearch-operator').spec.values.manager.resources.limits.memory).toBe('512Mi');
    expect(objects.some((o) => o.kind === 'Deployment' && o.metadata.name === 'kubernetes-mcp-server')).toBe(true);
  }, 180_000);

  it("names the migration command when a config has the reference's layout", () => {
    const error = (() => {
      try {
        readConfig(REFERENCE_LAYOUT.replace(/^opencost:\n {2}opencost:[\s\S]*?(?=^global:)/m, ''), 'observability.yaml');
      } catch (e) {
        return e as ConfigFileError;
      }
      throw new Error('accepted');
    })();
    expect(error.issues.find((i) => i.path === 'kube-prometheus-stack')?.message).toMatch(
      /^unknown key \(a section of the reference umbrella chart's values: here the chart's values go under charts\.values\.kube-prometheus-stack; `npx aiml-observability migrate <values\.yaml>` converts a whole values file\)/,
    );
    expect(() => readConfig(REFERENCE_LAYOUT, 'observability.yaml')).toThrow(/Map keys must be unique: "opencost" appears twice in the same mapping \(the reference umbrella chart's values have it twice; `npx aiml-observability migrate <values\.yaml>` converts them\)/);
  });
});
