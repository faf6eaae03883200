import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_SCHEMA, configToProps } from '../../src/config/config-schema.js';
import { CONFIG_JSON_SCHEMA_FILE, configJsonSchemaText, schemaKeys } from '../../src/config/json-schema.js';
import { ConfigFileError, loadConfig, parseConfig, readConfig } from '../../src/config/load-config.js';
import { configKeyOf, everyKeyConfig, propKeyIndex } from '../../src/config/prop-keys.js';
import { MemoryCredentialStore } from '../../src/core/credential-store.js';
import { configProblems } from '../support/config.js';
import { synthStack } from '../support/synth.js';

const problems = configProblems;

/** The issues (with positions) of text the loader refuses. */
function refused(text: string) {
  try {
    readConfig(text, 'observability.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigFileError);
    return (error as ConfigFileError).issues;
  }
  throw new Error('the config was accepted');
}

describe('config file', () => {
  it('accepts the reference chart toggles and an empty file', () => {
    expect(problems('')).toEqual([]);
    expect(problems('prometheus-stack:\n  enabled: true\nopencost:\n  enabled: false\ncharts:\n  delivery: argocd\n')).toEqual([]);
  });

  it('names an unknown key with its path, a suggestion, the allowed keys and its line and column', () => {
    const [issue] = refused('prometheus-stack:\n  enabeld: true\n');
    expect(issue).toMatchObject({ path: 'prometheus-stack.enabeld', line: 2, column: 3 });
    expect(issue!.message).toMatch(/^unknown key \(did you mean 'enabled'\?\); allowed keys here: enabled, releaseName, /);
  });

  it('names a wrong type and the expected one, at the value', () => {
    expect(problems('opencost:\n  enabled: "yes"\n')).toEqual(['opencost.enabled: expected true or false, got "yes"']);
    expect(problems('charts: [helm]\n')).toEqual(['charts: expected a mapping, got a list']);
    expect(problems('opensearch:\n  retentionDays: .inf\n')).toEqual(['opensearch.retentionDays: Infinity (YAML .inf) is not allowed: give a finite number']);
    expect(problems('alerts:\n  ttftSloSeconds: .nan\n')).toEqual(['alerts.ttftSloSeconds: NaN (YAML .nan) is not allowed: give a finite number']);
    expect(problems('clusterName:\n')).toEqual(['clusterName: expected a string, got null (an empty value in YAML is null: give a value or remove the key)']);
  });

  it('lists the allowed values of every bad value', () => {
    expect(problems('charts:\n  delivery: kustomize\n')).toEqual(['charts.delivery: "kustomize" is not allowed; allowed: helm, flux, argocd, external']);
    expect(problems('namespace: Bad_Name\n')).toEqual([
      'namespace: "Bad_Name" is not allowed: must be a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
    ]);
    expect(problems('opensearch:\n  nodes:\n    replicas: 2.5\n')).toEqual(['opensearch.nodes.replicas: 2.5 is not allowed: must be a whole number from 1 to 100']);
    expect(problems('charts:\n  flux:\n    interval: 30 minutes\n')).toEqual(['charts.flux.interval: "30 minutes" is not allowed: must be a duration such as 30m, 1h or 1h30m (more than 0)']);
    // Zero durations pass a pattern of digits and units, and mean nothing on the cluster (issue 15 item 4).
    expect(problems('charts:\n  flux:\n    interval: 0s\n')).toEqual(['charts.flux.interval: "0s" is not allowed: must be a duration such as 30m, 1h or 1h30m (more than 0)']);
    expect(problems('prometheus-stack:\n  retention: 0d\n')).toEqual(['prometheus-stack.retention: "0d" is not allowed: must be a Prometheus duration longer than 0, such as 12h or 15d']);
    expect(problems('prometheus-stack:\n  retention: 0d0h\n')).toHaveLength(1);
    expect(problems('prometheus-stack:\n  retention: 10d\n')).toEqual([]);
    expect(problems('exporters:\n  neuron:\n    image: "my image:1"\n')[0]).toMatch(/^exporters\.neuron\.image: "my image:1" is not allowed: must be an image reference pinned by a tag other than latest/);
    expect(problems('clusterName: "a\\nb"\n')[0]).toMatch(/^clusterName: "a\\nb" is not allowed: must be a cluster name/);
  });

  it('reads comma-separated lists of distinct, valid items', () => {
    expect(configToProps(parseConfig('mcp:\n  agentNamespaces: agents, sre\n')).mcp?.agentNamespaces).toEqual(['agents', 'sre']);
    expect(problems('mcp:\n  agentNamespaces: agents, Team_B\n')[0]).toMatch(/^mcp\.agentNamespaces: "Team_B" is not allowed: must be a DNS label/);
    expect(problems('mcp:\n  agentNamespaces: a, b, a\n')).toEqual(['mcp.agentNamespaces: lists "a" more than once']);
    expect(problems('mcp:\n  kubernetes:\n    apiServerCidr: "10.0.0.1/32,,deadbeef/0"\n')).toEqual([
      'mcp.kubernetes.apiServerCidr: "10.0.0.1/32,,deadbeef/0" has an empty item: give a comma-separated list such as 10.0.0.10/32',
      'mcp.kubernetes.apiServerCidr: "deadbeef/0" is not allowed: must be a CIDR such as 10.0.0.1/32 or fd00::/8',
    ]);
  });

  it('reports every problem at once, not only the first', () => {
    expect(problems('namespace: Bad_Name\nopencost:\n  enabled: 1\nfoo: bar\n')).toHaveLength(3);
  });

  it('reports YAML errors with line and column: duplicate keys, tabs', () => {
    expect(refused('namespace: a\nnamespace: b\n')).toEqual([
      { path: '(yaml)', message: 'Map keys must be unique: "namespace" appears twice in the same mapping', line: 2, column: 1 },
    ]);
    expect(refused('opencost:\n\tenabled: true\n')[0]).toMatchObject({ path: '(yaml)', line: 2, column: 1 });
  });

  it('reads a large pass-through section in linear time (duplicate keys are found with a set per mapping)', () => {
    // Under grafana (a subchart of kube-prometheus-stack: any key), so that every key is accepted.
    const lines = ['charts:', '  values:', '    kube-prometheus-stack:', '      grafana:', ...Array.from({ length: 30_000 }, (_, i) => `        key${i}: ${i}`)];
    const started = performance.now();
    expect(Object.keys(parseConfig(lines.join('\n')).charts.values?.['kube-prometheus-stack']?.grafana ?? {})).toHaveLength(30_000);
    // yaml's own uniqueKeys check takes about 8 s here.
    expect(performance.now() - started).toBeLessThan(5_000);
    // The same keys where the chart lists its keys: every one is a problem, found and placed in linear time, 20 listed.
    const unknown = ['charts:', '  values:', '    kube-prometheus-stack:', ...Array.from({ length: 30_000 }, (_, i) => `      key${i}: ${i}`)];
    const again = performance.now();
    const issues = refused(unknown.join('\n'));
    expect(performance.now() - again).toBeLessThan(5_000);
    expect(issues).toHaveLength(21);
    expect(issues[0]).toMatchObject({ path: 'charts.values.kube-prometheus-stack.key0', line: 4, column: 7 });
    expect(issues[20]).toMatchObject({ path: 'charts.values.kube-prometheus-stack', message: 'has 29980 more problems like the ones above' });
  });

  it('resolves `<<` merge keys, and places an error in merged keys at the key that merges them', () => {
    const text = 'mcp:\n  kubernetes: &server\n    enabled: false\n  prometheus:\n    <<: *server\n    transport: sse\n';
    expect(configToProps(parseConfig(text)).mcp?.prometheus).toEqual({ enabled: false, image: undefined, transport: 'sse' });
    const merged = 'mcp:\n  kubernetes: &server\n    allowDestructive: true\n  prometheus:\n    <<: *server\n';
    expect(refused(merged)).toEqual([expect.objectContaining({ path: 'mcp.prometheus.allowDestructive', line: 4, column: 3 })]);
  });

  it('rejects impossible combinations, naming the keys (checked by the constructs)', () => {
    expect(problems('prometheus-stack:\n  enabled: false\n')).toEqual([]);
    expect(problems('prometheus-stack:\n  enabled: false\nopencost:\n  enabled: true\n')).toEqual([
      'opencost.enabled: needs the Prometheus stack: set prometheus-stack.enabled to true, or opencost.enabled to false',
    ]);
    expect(problems('prometheus-stack:\n  grafana:\n    existingSecret: g\n    adminPassword: abcdefghijklmnop\n')).toEqual([
      'prometheus-stack.grafana.existingSecret: cannot be combined with prometheus-stack.grafana.adminPassword: the credentials come from the existing Secret; remove one or the other',
    ]);
  });

  it('rejects a short Grafana password without showing it', () => {
    expect(problems('prometheus-stack:\n  grafana:\n    adminPassword: short\n')).toEqual(['prometheus-stack.grafana.adminPassword: must be at least 12 characters long (got 5)']);
  });

  it('accepts pass-through values only for known charts', () => {
    expect(problems('charts:\n  values:\n    opencost:\n      loglevel: debug\n')).toEqual([]);
    expect(problems('charts:\n  values:\n    grafana: {}\n')[0]).toMatch(/^charts\.values\.grafana: unknown key; allowed keys here: dcgm-exporter, fluent-operator, kube-prometheus-stack/);
  });

  it('maps keys onto the chart props, and applies only the app keys\' defaults', () => {
    const props = configToProps(parseConfig('namespace: ml-obs\ncharts:\n  delivery: flux\n  values:\n    opencost: {loglevel: debug}\nopencost:\n  enabled: false\n'));
    expect(props.namespace).toBe('ml-obs');
    expect(props.delivery).toBe('flux');
    expect(props.openCost?.enabled).toBe(false);
    expect(props.chartValues?.opencost).toEqual({ loglevel: 'debug' });
    const empty = parseConfig('');
    expect(empty.charts.delivery).toBe('helm');
    expect(empty.credentials.file).toBe('.aiml-observability/credentials.json');
    expect(configToProps(empty).prometheusStack).toEqual({ enabled: undefined, releaseName: undefined, retention: undefined, storageSize: undefined, grafana: undefined });
  });

  it('reads observability.yaml from the working directory, or the file $AIML_OBS_CONFIG names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'obs-config-'));
    expect(loadConfig({}, dir).file).toBeUndefined();
    writeFileSync(join(dir, 'observability.yaml'), 'namespace: from-default\n');
    writeFileSync(join(dir, 'other.yaml'), 'namespace: from-env\n');
    expect(loadConfig({}, dir).props.namespace).toBe('from-default');
    expect(loadConfig({ AIML_OBS_CONFIG: 'other.yaml' }, dir).props.namespace).toBe('from-env');
    expect(() => loadConfig({ AIML_OBS_CONFIG: 'missing.yaml' }, dir)).toThrow(/AIML_OBS_CONFIG: names .*missing\.yaml, which does not exist/);
  });

  it('says what to do when $AIML_OBS_CONFIG names a directory, and when the file is not UTF-8', () => {
    const dir = mkdtempSync(join(tmpdir(), 'obs-config-'));
    mkdirSync(join(dir, 'conf'));
    expect(() => loadConfig({ AIML_OBS_CONFIG: 'conf' }, dir)).toThrow(/AIML_OBS_CONFIG: .*conf is a directory: name the YAML file, e\.g\. .*conf\/observability\.yaml/);
    writeFileSync(join(dir, 'latin1.yaml'), Buffer.from('namespace: a\nclusterName: caf\xe9\n', 'latin1'));
    expect(() => loadConfig({ AIML_OBS_CONFIG: 'latin1.yaml' }, dir)).toThrow(/\(file\): is not UTF-8 text \(first bad byte on line 2\); save it as UTF-8/);
  });

  it('documents every key with a meaning, and a default or an example that the schema accepts', () => {
    for (const { path, node } of schemaKeys()) {
      expect(node.description, path.join('.')).toBeTruthy();
    }
    expect(CONFIG_SCHEMA.safeParse(everyKeyConfig()).success).toBe(true);
  });

  it('ships the JSON Schema it is declared by (regenerate with npm run docs:config)', () => {
    expect(readFileSync(join(import.meta.dirname, '..', '..', CONFIG_JSON_SCHEMA_FILE), 'utf8')).toBe(configJsonSchemaText());
  });
});

describe('config keys and props', () => {
  it('documents the defaults the constructs apply: spelling every default out changes nothing', () => {
    const spelledOut: Record<string, unknown> = {};
    for (const { path, node } of schemaKeys()) {
      // opensearch.external, opensearch.snapshots and thanosHub are choices (their defaults only apply once they are made).
      const choice = ['opensearch.external', 'opensearch.snapshots', 'thanosHub'].some((section) => path.join('.').startsWith(section));
      if (node.properties || node.default === undefined || path[0] === 'credentials' || choice) continue;
      let at = spelledOut;
      for (const key of path.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
      at[path[path.length - 1]!] = node.default;
    }
    expect(spelledOut).toMatchObject({ opensearch: { nodes: { replicas: 3 } }, alerts: { gpuIdleFor: '30m' }, mcp: { enabled: false } });
    const store = new MemoryCredentialStore();
    const objects = (config: Record<string, unknown>) =>
      JSON.stringify(synthStack({ ...configToProps(CONFIG_SCHEMA.parse({ ...config, charts: { ...(config.charts as object), delivery: 'flux' } })), delivery: 'flux', credentials: store }).objects);
    expect(objects(spelledOut)).toBe(objects({}));
  });


  it('every key sets a prop, and every prop a key sets names that key back', () => {
    const keys = new Set([...propKeyIndex().values()].flat());
    const leafKeys = schemaKeys().filter(({ node }) => !node.properties).map(({ path }) => path.join('.'));
    // credentials.file is the app's (the file store), not a prop of the chart.
    expect(leafKeys.filter((key) => !keys.has(key))).toEqual(['credentials.file']);
  });

  it('names a construct error by the key the user wrote', () => {
    expect(configKeyOf(['openSearch', 'nodes', 'replicas'])).toBe('opensearch.nodes.replicas');
    expect(configKeyOf(['mcp', 'kubernetes', 'apiServer', 'cidrs', '1'])).toBe('mcp.kubernetes.apiServerCidr');
    expect(configKeyOf(['openSearch', 'users', 'dashboardsPassword'])).toBe('opensearch.credentials.dashboardUserPassword');
    expect(configKeyOf(['mcp', 'opensearch', 'existingCredentialsSecret'])).toBe('mcp.opensearch.existingSecret');
    expect(configKeyOf(['externalOpenSearch'])).toBe('opensearch.external');
    expect(configKeyOf(['deliveryOptions', 'argocd', 'applicationNamespace'])).toBe('charts.argocd.namespace');
    expect(configKeyOf(['mcp', 'openSearchTarget'])).toBeUndefined();
  });
});

describe('observability.schema.json, as an editor reads it', () => {
  const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', CONFIG_JSON_SCHEMA_FILE), 'utf8')));
  const accepts = (text: string) => validate(parse(text) ?? {});

  it('accepts what the app accepts', () => {
    expect(accepts(readFileSync(join(import.meta.dirname, '..', '..', '.ci', 'observability.ci.yaml'), 'utf8'))).toBe(true);
    expect(validate(everyKeyConfig()), JSON.stringify(validate.errors)).toBe(true);
  });

  it('flags what the app refuses for a bad value or an unknown key', () => {
    for (const text of [
      'namespace: Bad_Name\n',
      'charts:\n  delivery: kustomize\n',
      'opensearch:\n  nodes:\n    replicas: 2.5\n',
      'alerts:\n  gpuMemoryUsedRatio: 1.5\n',
      'exporters:\n  neuron:\n    image: registry.example/neuron-monitor:latest\n',
      'prometheus-stack:\n  enabeld: true\n',
      'opensearch:\n  enabled: false\n  external:\n    host: search.example.com\n',
    ]) {
      expect(accepts(text), text).toBe(false);
      expect(problems(text), text).not.toEqual([]);
    }
  });
});
