/**
 * `aiml-observability migrate <values.yaml>`: turns the reference Helm umbrella chart's values into an
 * observability.yaml. The reference layout: the toggles and credentials this config shares with it
 * (`prometheus-stack.enabled`, `opensearch.credentials.*`, `fluentbit.enabled`, `mcp.kubernetes.enabled`, ...), and
 * one section per subchart (`kube-prometheus-stack:`, `opensearch-operator:`, `fluent-operator:`, `opencost:`), whose
 * values go under `charts.values.<chart>` here. The reference's file has `opencost:` twice (the toggle and the
 * subchart's values), which a YAML parser that refuses repeated keys rejects; here both are read and merged, the
 * later one winning where both set a key, and the report says so.
 *
 * Nothing is carried that this config would refuse: each carried key is checked by the same loader `npx cdk8s synth`
 * uses, and whatever it refuses is left out and listed, with the reason. Passwords that are the reference's (or the
 * upstream images') public defaults are never carried.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, stringify, type YAMLMap } from 'yaml';
import { ConfigFileError, readConfig } from '../src/config/load-config.js';
import { schemaNodeAt } from '../src/config/json-schema.js';
import { deepMerge, isPlainObject, type JsonObject } from '../src/core/deep-merge.js';
import { UPSTREAM_CHART_NAMES, type UpstreamChartName } from '../src/core/upstream-chart.js';


/** Subchart sections of the reference's values, and the toggle of this config that `<section>.enabled` stands for. */
const SUBCHART_TOGGLES: Readonly<Partial<Record<UpstreamChartName, string>>> = {
  'kube-prometheus-stack': 'prometheus-stack.enabled',
  'opensearch-operator': 'opensearch.enabled',
  'fluent-operator': 'fluentbit.enabled',
  opencost: 'opencost.enabled',
  'dcgm-exporter': 'exporters.dcgm.enabled',
};

/**
 * Passwords that are public defaults, where they come from: the OpenSearch image's demo users
 * (opensearch-project/security config/internal_users.yml: admin / admin, kibanaserver / kibanaserver) and the
 * Grafana password kube-prometheus-stack documents (`prom-operator`), as the reference's values file keeps them.
 */
const PUBLIC_DEFAULT_PASSWORDS: Readonly<Record<string, string>> = {
  admin: "the OpenSearch image's demo admin password",
  kibanaserver: "the OpenSearch image's demo kibanaserver password",
  'prom-operator': "kube-prometheus-stack's documented Grafana admin password",
};

/** Where the reference's literal passwords go here. */
const PASSWORD_KEYS: Readonly<Record<string, string>> = {
  'opensearch.credentials.adminPassword': 'opensearch.credentials.adminPassword',
  'opensearch.credentials.dashboardUserPassword': 'opensearch.credentials.dashboardUserPassword',
  'kube-prometheus-stack.grafana.adminPassword': 'prometheus-stack.grafana.adminPassword',
};

/** What a migration made, and what it could not carry over. */
export interface Migration {
  /** The observability.yaml text. */
  readonly text: string;
  /** Keys carried over, as `from -> to`. */
  readonly carried: readonly string[];
  /** Keys left out, each with the reason. */
  readonly leftOut: readonly string[];
  /** Other things the user should know (a repeated key and which one won). */
  readonly notes: readonly string[];
}

type Leaf = { readonly from: string; readonly to: readonly string[]; readonly value: unknown };

function setIn(target: JsonObject, path: readonly string[], value: unknown): void {
  let node = target;
  for (const segment of path.slice(0, -1)) {
    if (!isPlainObject(node[segment])) node[segment] = {};
    node = node[segment] as JsonObject;
  }
  node[path[path.length - 1]!] = value as JsonObject[string];
}

/** The reference's values as JS, repeated top-level keys merged (the later one winning), with notes on each repeat. */
function readReference(text: string, file: string): { values: JsonObject; notes: string[] } {
  const lines = new LineCounter();
  const document = parseDocument(text, { uniqueKeys: false, merge: true, prettyErrors: false, lineCounter: lines });
  if (document.errors.length > 0) {
    const error = document.errors[0]!;
    const { line, col } = lines.linePos(error.pos[0]);
    throw new Error(`${file}: not YAML the migration can read: ${error.message} (line ${line}, column ${col})`);
  }
  const notes: string[] = [];
  const values: JsonObject = {};
  if (!isMap(document.contents)) throw new Error(`${file}: expected a mapping of values at the top level`);
  const seen = new Map<string, number>();
  for (const pair of (document.contents as YAMLMap).items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    const line = lines.linePos(pair.key.range?.[0] ?? 0).line;
    const js = toJs(pair.value, document);
    if (seen.has(key)) {
      notes.push(`${key}: appears twice (lines ${seen.get(key)} and ${line}); both are read and merged, the later one (line ${line}) winning where both set a key`);
      values[key] = isPlainObject(values[key]) && isPlainObject(js) ? deepMerge(values[key] as JsonObject, js as JsonObject) : (js as JsonObject[string]);
    } else {
      values[key] = js as JsonObject[string];
      seen.set(key, line);
    }
  }
  return { values, notes };
}

function toJs(node: unknown, document: ReturnType<typeof parseDocument>): unknown {
  return (node as { toJS?: (doc: unknown) => unknown } | null)?.toJS?.(document) ?? (isScalar(node) ? node.value : node ?? null);
}

/** Every leaf of the reference's values with the key it goes to here (or none), in file order. */
function leavesOf(values: JsonObject): { leaves: Leaf[]; leftOut: string[] } {
  const leaves: Leaf[] = [];
  const leftOut: string[] = [];
  const walk = (value: unknown, from: string[], to: (path: string[]) => readonly string[] | undefined) => {
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const [key, child] of Object.entries(value)) walk(child, [...from, key], to);
      return;
    }
    const target = to(from);
    if (target) leaves.push({ from: from.join('.'), to: target, value });
    else leftOut.push(`${from.join('.')}: no such key in observability.yaml`);
  };
  for (const [section, value] of Object.entries(values)) {
    if ((UPSTREAM_CHART_NAMES as readonly string[]).includes(section)) {
      const chart = section as UpstreamChartName;
      walk(value, [section], (path) => {
        const inner = path.slice(1);
        if (inner.length === 1 && inner[0] === 'enabled') return SUBCHART_TOGGLES[chart]?.split('.');
        const password = PASSWORD_KEYS[path.join('.')];
        return password ? password.split('.') : ['charts', 'values', chart, ...inner];
      });
    } else {
      // The toggles and credentials this config shares with the reference keep their names.
      walk(value, [section], (path) => (schemaNodeAt(path) && !schemaNodeAt(path)?.properties ? path : undefined));
    }
  }
  return { leaves, leftOut };
}

/** The problems the loader finds in `config`, by key path. */
function problems(config: JsonObject): Map<string, string> {
  try {
    readConfig(stringify(config), 'observability.yaml');
    return new Map();
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    return new Map(error.issues.map((issue) => [issue.path, issue.message]));
  }
}

/** Migrates the reference's values text (`file` names it in messages); `delivery` sets `charts.delivery`. */
export function migrateValues(text: string, file: string, delivery?: string): Migration {
  const { values, notes } = readReference(text, file);
  const { leaves, leftOut } = leavesOf(values);
  if (delivery !== undefined) leaves.unshift({ from: '(--delivery)', to: ['charts', 'delivery'], value: delivery });
  const carried: string[] = [];
  const kept: Leaf[] = [];
  for (const leaf of leaves) {
    const isPassword = /password$/i.test(leaf.from) && typeof leaf.value === 'string';
    const publicDefault = isPassword ? PUBLIC_DEFAULT_PASSWORDS[leaf.value as string] : undefined;
    if (publicDefault) {
      leftOut.push(`${leaf.from}: is ${publicDefault}, known to anyone; not carried: a password is generated on the first synth and kept in the credentials file (or set ${leaf.to.join('.')} / an existingSecret)`);
      continue;
    }
    kept.push(leaf);
  }
  // Keys the loader refuses are dropped one problem at a time (a problem's path is the key, or a mapping above it).
  let config: JsonObject = {};
  for (const leaf of kept) setIn(config, leaf.to, leaf.value);
  for (let round = 0; round < 50; round++) {
    const found = problems(config);
    if (found.size === 0) break;
    const before = kept.length;
    for (const [path, message] of found) {
      const index = kept.findIndex((leaf) => leaf.to.join('.') === path || leaf.to.join('.').startsWith(`${path}.`));
      if (index < 0) continue;
      const [leaf] = kept.splice(index, 1);
      const shown = /password/i.test(leaf!.from) ? message.replace(/"[^"]*"/g, '"…"') : message;
      leftOut.push(`${leaf!.from}: ${leaf!.to.join('.')} ${shown}`);
    }
    if (kept.length === before) throw new Error(`${file}: the migrated config has problems the migration cannot place: ${[...found].map(([p, m]) => `${p}: ${m}`).join('; ')}`);
    config = {};
    for (const leaf of kept) setIn(config, leaf.to, leaf.value);
  }
  for (const leaf of kept) carried.push(`${leaf.from} -> ${leaf.to.join('.')}`);
  const header = [
    '# yaml-language-server: $schema=./node_modules/aiml-observability/observability.schema.json',
    `# Migrated from the reference chart's values (${file}) by \`aiml-observability migrate\`.`,
    ...(leftOut.length > 0 ? ['# Not carried over (see the migration report):', ...leftOut.map((line) => `#   ${line}`)] : []),
  ];
  return { text: `${header.join('\n')}\n${stringify(config, { lineWidth: 0 })}`, carried, leftOut, notes };
}

/** Options of the command. */
export interface MigrateOptions {
  readonly input: string;
  readonly output: string;
  readonly force: boolean;
  /** `charts.delivery` to set (the reference knows only helm). */
  readonly delivery?: string;
}

export const MIGRATE_USAGE = `usage: aiml-observability migrate <values.yaml> [-o observability.yaml] [--force] [--delivery helm|flux|argocd|external]
  Reads the reference umbrella chart's values and writes an observability.yaml: the shared toggles and credentials as
  they are, the subchart sections (kube-prometheus-stack, opensearch-operator, fluent-operator, opencost) under
  charts.values.<chart>; lists what it could not carry over, and never carries a public default password.
`;

/** Parses the command's arguments; a string is a usage error. */
export function parseMigrateArgs(argv: readonly string[]): MigrateOptions | string {
  let input: string | undefined;
  let output = 'observability.yaml';
  let force = false;
  let delivery: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-o' || arg === '--output') output = argv[++i] ?? '';
    else if (arg === '--force') force = true;
    else if (arg === '--delivery') delivery = argv[++i] ?? '';
    else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else if (input === undefined) input = arg;
    else return `one values file only (got ${input} and ${arg})`;
  }
  if (!input) return 'name the reference values file';
  if (!output) return '-o needs a file name';
  return { input, output, force, ...(delivery !== undefined ? { delivery } : {}) };
}

/** Runs the command; returns the exit code. */
export function runMigrate(argv: readonly string[], io: { readonly stdout: NodeJS.WritableStream; readonly stderr: NodeJS.WritableStream }, cwd = process.cwd()): number {
  const options = parseMigrateArgs(argv);
  if (typeof options === 'string') {
    io.stderr.write(`${options}\n${MIGRATE_USAGE}`);
    return 2;
  }
  const input = resolve(cwd, options.input);
  const output = resolve(cwd, options.output);
  if (!existsSync(input)) {
    io.stderr.write(`${input} does not exist\n`);
    return 1;
  }
  if (existsSync(output) && !options.force) {
    io.stderr.write(`${output} exists: pass -o <another file>, or --force to replace it\n`);
    return 1;
  }
  try {
    const migration = migrateValues(readFileSync(input, 'utf8'), options.input, options.delivery);
    const text = migration.text;
    // The loader `npx cdk8s synth` uses accepts what is written (the migration dropped what it would refuse).
    readConfig(text, output);
    writeFileSync(output, text);
    const lines = [
      `wrote ${options.output}: ${migration.carried.length} key${migration.carried.length === 1 ? '' : 's'} carried over`,
      ...migration.notes.map((note) => `note: ${note}`),
      ...(migration.leftOut.length > 0 ? [`not carried over (${migration.leftOut.length}):`, ...migration.leftOut.map((line) => `  - ${line}`)] : []),
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`migrate failed: ${(error as Error).message}\n`);
    return 1;
  }
}
