import { describe, expect, it } from 'vitest';
import { ofKind, one, synthStack } from '../support/synth.js';

/**
 * The log panels and the index template are built from the same constants; this test reads both from the
 * synthesized output instead, so a panel that queries a field the template does not map (or an index pattern the
 * datasource does not search) fails here whatever the constants say.
 */
describe('log panels against the synthesized index template', () => {
  const { chart, objects } = synthStack();
  const template = ofKind(objects, 'OpensearchIndexTemplate')[0]!.spec;
  const dashboards = ofKind(objects, 'ConfigMap')
    .filter((c) => c.metadata.labels?.grafana_dashboard === '1')
    .flatMap((c) => Object.values(c.data as Record<string, string>).map((text) => JSON.parse(text)));
  const logTargets = dashboards.flatMap((d) =>
    (d.panels as any[]).filter((p) => p.type === 'logs').flatMap((p) => p.targets as { query: string; timeField: string }[]),
  );

  /** The template's mapping of a dotted field, walking `properties`. */
  const mapping = (field: string): { type?: string } | undefined =>
    field.split('.').reduce<any>((node, part, i, parts) => (i === parts.length - 1 ? node?.[part] : node?.[part]?.properties), template.template.mappings.properties);

  it('finds log panels to check', () => {
    expect(logTargets.length).toBeGreaterThan(0);
  });

  it('every field a log panel filters on is mapped as a keyword (exact match), and the time field as a date', () => {
    for (const target of logTargets) {
      const fields = [...target.query.matchAll(/(?:^|[\s(])([A-Za-z_@][\w.@/-]*):/g)].map((m) => m[1]!);
      expect(fields.length, target.query).toBeGreaterThan(0);
      for (const field of fields) expect(mapping(field)?.type, `${field} in ${target.query}`).toBe('keyword');
      expect(mapping(target.timeField)?.type).toBe('date');
    }
  });

  it('the logs datasource searches the indices the template applies to', () => {
    const datasourceSecret = one(objects, 'Secret', chart.openSearchDatasource!.secretName);
    const provisioned = Object.values(datasourceSecret.stringData as Record<string, string>).join('\n');
    for (const pattern of template.indexPatterns as string[]) expect(provisioned).toContain(`database: ${pattern}`);
  });
});
