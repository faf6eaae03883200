import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA } from '../../src/config/config-schema.js';
import { configToProps, loadConfig, parseConfig } from '../../src/config/load-config.js';
import { describe as describeSchema } from '../../src/config/schema.js';
import { configProblems } from '../support/config.js';

const problems = configProblems;

describe('config file', () => {
  it('accepts the reference chart toggles and an empty file', () => {
    expect(problems('')).toEqual([]);
    expect(problems('prometheus-stack:\n  enabled: true\nopencost:\n  enabled: false\ncharts:\n  delivery: argocd\n')).toEqual([]);
  });

  it('names an unknown key with its path, a suggestion and the allowed keys', () => {
    const [issue] = problems('prometheus-stack:\n  enabeld: true\n');
    expect(issue).toMatch(/^prometheus-stack\.enabeld: unknown key \(did you mean 'enabled'\?\); allowed keys here: enabled, /);
  });

  it('names a wrong type and the expected one', () => {
    expect(problems('opencost:\n  enabled: "yes"\n')).toEqual(['opencost.enabled: expected true or false, got string "yes"']);
    expect(problems('charts: [helm]\n')).toEqual(['charts: expected a mapping, got a list']);
  });

  it('lists the allowed delivery modes', () => {
    expect(problems('charts:\n  delivery: kustomize\n')).toEqual([
      'charts.delivery: string "kustomize" is not allowed; allowed: helm, flux, argocd, external',
    ]);
  });

  it('reports every problem at once, not only the first', () => {
    expect(problems('namespace: Bad_Name\nopencost:\n  enabled: 1\nfoo: bar\n')).toHaveLength(3);
  });

  it('rejects impossible combinations, naming the key', () => {
    expect(problems('prometheus-stack:\n  enabled: false\n')).toEqual([]);
    expect(problems('prometheus-stack:\n  enabled: false\nopencost:\n  enabled: true\n')).toEqual([
      'opencost.enabled: OpenCost needs the Prometheus stack: set prometheus-stack.enabled to true, or opencost.enabled to false',
    ]);
    expect(problems('prometheus-stack:\n  grafana:\n    existingSecret: g\n    adminPassword: abcdefghijklmnop\n')[0]).toMatch(
      /^prometheus-stack\.grafana\.existingSecret: cannot be combined/,
    );
  });

  it('rejects a short Grafana password and duplicate keys', () => {
    expect(problems('prometheus-stack:\n  grafana:\n    adminPassword: short\n')).toEqual([
      'prometheus-stack.grafana.adminPassword: must be at least 12 characters long',
    ]);
    expect(problems('namespace: a\nnamespace: b\n')[0]).toMatch(/^\(yaml\): .*[Mm]ap keys must be unique/);
  });

  it('accepts pass-through values only for known charts', () => {
    expect(problems('charts:\n  values:\n    opencost:\n      loglevel: debug\n')).toEqual([]);
    expect(problems('charts:\n  values:\n    grafana: {}\n')[0]).toMatch(/^charts\.values\.grafana: unknown key; allowed keys here: dcgm-exporter, fluent-operator, kube-prometheus-stack/);
  });

  it('maps keys onto the chart props', () => {
    const props = configToProps(
      parseConfig('namespace: ml-obs\ncharts:\n  delivery: flux\n  values:\n    opencost: {loglevel: debug}\nopencost:\n  enabled: false\n'),
    );
    expect(props.namespace).toBe('ml-obs');
    expect(props.delivery).toBe('flux');
    expect(props.openCost?.enabled).toBe(false);
    expect(props.chartValues?.opencost).toEqual({ loglevel: 'debug' });
  });

  it('reads observability.yaml from the working directory, or the file $AIML_OBS_CONFIG names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'obs-config-'));
    expect(loadConfig({}, dir).config).toEqual({});
    writeFileSync(join(dir, 'observability.yaml'), 'namespace: from-default\n');
    writeFileSync(join(dir, 'other.yaml'), 'namespace: from-env\n');
    expect(loadConfig({}, dir).config.namespace).toBe('from-default');
    expect(loadConfig({ AIML_OBS_CONFIG: 'other.yaml' }, dir).config.namespace).toBe('from-env');
    expect(() => loadConfig({ AIML_OBS_CONFIG: 'missing.yaml' }, dir)).toThrow(/AIML_OBS_CONFIG: names .*missing\.yaml, which does not exist/);
  });

  it('documents every key with a meaning', () => {
    for (const { path, field } of describeSchema(CONFIG_SCHEMA)) expect(field.doc, path).not.toBe('');
  });
});
