/**
 * Reads observability.yaml: YAML with line and column in every error, duplicate keys refused, `<<` merge keys
 * resolved; then the keys checked against {@link CONFIG_SCHEMA}, every problem reported at once with its key path,
 * what is allowed, and where it is in the file.
 */
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, visit, type Document, type Pair, type YAMLMap } from 'yaml';
import type { z } from 'zod';
import { chartValueIssues, closestKey } from '../core/chart-value-checks.js';
import { isPlainObject } from '../core/deep-merge.js';
import { type PropError, type PropPath, propIssueMessage } from '../core/prop-error.js';
import { UPSTREAM_CHART_NAMES, type UpstreamChartName } from '../core/upstream-chart.js';
import { issueMessage, showValue } from '../core/value-types.js';
import type { ObservabilityChartProps } from '../observability-chart.js';
import { CONFIG_SCHEMA, configToProps, type ObservabilityConfig } from './config-schema.js';
import { schemaNodeAt } from './json-schema.js';
import { configKeyOf } from './prop-keys.js';

/** The command that converts the reference umbrella chart's values (app/migrate.ts). */
export const MIGRATE_COMMAND = 'npx aiml-observability migrate <values.yaml>';

/** The config file read when `AIML_OBS_CONFIG` is not set. */
export const DEFAULT_CONFIG_FILE = 'observability.yaml';
/** Environment variable naming another config file. */
export const CONFIG_FILE_ENV = 'AIML_OBS_CONFIG';

/** One problem found in a config file: the key path it is about, what is wrong, and where (when known). */
export interface ConfigIssue {
  /** Dotted key path, e.g. `opensearch.nodes.replicas`; `(yaml)` for a syntax error, `(top level)` for the whole file. */
  readonly path: string;
  readonly message: string;
  /** 1-based line of the key (or the value) in the file. */
  readonly line?: number;
  /** 1-based column. */
  readonly column?: number;
}

/** Thrown for a config file that cannot be used; lists every problem with its key path and position. */
export class ConfigFileError extends Error {
  constructor(
    public readonly file: string,
    public readonly issues: readonly ConfigIssue[],
  ) {
    const where = (i: ConfigIssue) => (i.line === undefined ? '' : ` (line ${i.line}, column ${i.column})`);
    super(`${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n` + issues.map((i) => `  - ${i.path}: ${i.message}${where(i)}`).join('\n'));
    this.name = 'ConfigFileError';
  }
}

/** Line and column of the key at `path` in the file, or of its closest enclosing key that is in it. */
export type KeyLocator = (path: readonly (string | number)[]) => { line: number; column: number } | undefined;

/** A config file once read: the chart props it stands for, and where each key is in the file. */
export interface LoadedConfig {
  /** The file, absolute; absent when there is none (every default applies). */
  readonly file?: string;
  /**
   * The chart props the file stands for: its keys mapped, nothing checked or defaulted beyond the file's own
   * defaults (`charts.delivery`). No credential store: keeping passwords is the caller's choice (see `credentialsFile`).
   */
  readonly props: ObservabilityChartProps;
  /** `credentials.file`: where the app keeps generated passwords, relative to the working directory unless absolute. */
  readonly credentialsFile: string;
  /** Where a key is in the file. */
  readonly locate: KeyLocator;
}

/** The config as parsed (the type the schema declares), with where each key is. Internal: the app reads props. */
interface ParsedConfig {
  readonly file?: string;
  readonly config: ObservabilityConfig;
  readonly locate: KeyLocator;
}

function loaded({ file, config, locate }: ParsedConfig): LoadedConfig {
  return { ...(file === undefined ? {} : { file }), props: configToProps(config), credentialsFile: config.credentials.file, locate };
}

/** Which config file applies: `$AIML_OBS_CONFIG` if set, else `observability.yaml` in `cwd`. */
export function configFilePath(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): { path: string; explicit: boolean } {
  const named = env[CONFIG_FILE_ENV];
  return named ? { path: resolve(cwd, named), explicit: true } : { path: resolve(cwd, DEFAULT_CONFIG_FILE), explicit: false };
}

/** Positions of keys in the YAML document. */
function locator(document: Document, lines: LineCounter): KeyLocator {
  // One index per mapping, made on first use: a lookup per problem stays linear in a mapping of many keys.
  const indexes = new WeakMap<object, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, key: string): Pair | undefined => {
    let index = indexes.get(map);
    if (!index) {
      index = new Map();
      for (const item of map.items) if (isScalar(item.key) && !index.has(String(item.key.value))) index.set(String(item.key.value), item as Pair);
      indexes.set(map, index);
    }
    return index.get(key);
  };
  return (path) => {
    let node: unknown = document.contents;
    let offset: number | undefined;
    for (const segment of path) {
      if (!isMap(node)) break;
      const pair = pairOf(node, String(segment));
      if (!pair) break; // e.g. a key that came in through a `<<` merge: the closest key in the file
      offset = (pair.key as { range?: [number, number, number] }).range?.[0];
      node = pair.value;
    }
    if (offset === undefined) return undefined;
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
}

const keyPath = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(top level)';

/** The problems zod found, as config issues: an unknown key gets a suggestion and the keys allowed there. */
function schemaIssues(error: z.ZodError, locate: KeyLocator): ConfigIssue[] {
  return error.issues.flatMap((issue) => {
    const at = (path: readonly PropertyKey[], message: string): ConfigIssue => ({ path: keyPath(path), message, ...locate(path.map(String)) });
    if (issue.code !== 'unrecognized_keys') return [at(issue.path, issue.message)];
    const known = Object.keys(schemaNodeAt(issue.path.map(String))?.properties ?? {});
    return issue.keys.map((key) => {
      const reference = issue.path.length === 0 && (UPSTREAM_CHART_NAMES as readonly string[]).includes(key);
      const hint =
        key === '<<'
          ? ' (a `<<` merge key must name an anchor of a mapping, e.g. `<<: *defaults`)'
          : reference
            ? ` (a section of the reference umbrella chart's values: here the chart's values go under charts.values.${key}; \`${MIGRATE_COMMAND}\` converts a whole values file)`
            : closestKey(key, known)
              ? ` (did you mean '${closestKey(key, known)}'?)`
              : '';
      return at([...issue.path, key], `unknown key${hint}; allowed keys here: ${known.join(', ')}`);
    });
  });
}

/**
 * Keys given twice in one mapping, with their positions. (yaml's own `uniqueKeys` check compares every key with every
 * other one, which takes minutes for a large pass-through section; a set per mapping takes linear time.)
 */
function duplicateKeys(document: Document, lines: LineCounter): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  visit(document, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (seen.has(key) && key !== '<<') {
          const { line, col } = lines.linePos(pair.key.range?.[0] ?? 0);
          const reference = map === document.contents && key === 'opencost' ? ` (the reference umbrella chart's values have it twice; \`${MIGRATE_COMMAND}\` converts them)` : '';
          issues.push({ path: '(yaml)', message: `Map keys must be unique: ${showValue(key)} appears twice in the same mapping${reference}`, line, column: col });
        }
        seen.add(key);
      }
    },
  });
  return issues;
}

/** `charts.values.<chart>` checked against the pinned chart's keys, and for credentials written as literals. */
function passThroughIssues(data: unknown, locate: KeyLocator): ConfigIssue[] {
  const values = isPlainObject(data) && isPlainObject(data.charts) ? data.charts.values : undefined;
  if (!isPlainObject(values)) return [];
  const name = (prop: PropPath) => configKeyOf(prop) ?? prop.join('.');
  return Object.entries(values)
    .filter(([chart]) => (UPSTREAM_CHART_NAMES as readonly string[]).includes(chart))
    .flatMap(([chart, chartValues]) =>
      chartValueIssues(chart as UpstreamChartName, chartValues, ['charts', 'values', chart]).map((issue) => ({
        path: issue.path.join('.'),
        message: propIssueMessage(issue, name),
        ...locate(issue.path),
      })),
    );
}

/** Parses and checks config text; throws {@link ConfigFileError} naming every bad key with its line and column. */
function parseText(text: string, file: string): ParsedConfig {
  const lines = new LineCounter();
  const document = parseDocument(text, { uniqueKeys: false, merge: true, prettyErrors: false, lineCounter: lines });
  const syntax = document.errors.map((e): ConfigIssue => {
    const { line, col } = lines.linePos(e.pos[0]);
    return { path: '(yaml)', message: e.message, line, column: col };
  });
  const yamlIssues = [...syntax, ...(syntax.length === 0 ? duplicateKeys(document, lines) : [])];
  if (yamlIssues.length > 0) throw new ConfigFileError(file, yamlIssues);
  const locate = locator(document, lines);
  const data: unknown = document.toJS({ maxAliasCount: 1000 }) ?? {};
  const result = CONFIG_SCHEMA.safeParse(data, { error: issueMessage });
  const issues = [...(result.success ? [] : schemaIssues(result.error, locate)), ...passThroughIssues(data, locate)];
  if (!result.success || issues.length > 0) throw new ConfigFileError(file, issues);
  return { file, config: result.data, locate };
}

/** Reads config text: the props it stands for; a {@link ConfigFileError} names every bad key with its line and column. */
export function readConfig(text: string, file = DEFAULT_CONFIG_FILE): LoadedConfig {
  return loaded(parseText(text, file));
}

/** Parses and checks config text into the type the schema declares (the library's own use, and tests). */
export function parseConfig(text: string, file = DEFAULT_CONFIG_FILE): ObservabilityConfig {
  return parseText(text, file).config;
}

function readText(path: string): string {
  const bytes = readFileSync(path);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes);
    const line = text.slice(0, text.indexOf('\uFFFD')).split('\n').length;
    throw new ConfigFileError(path, [{ path: '(file)', message: `is not UTF-8 text (first bad byte on line ${line}); save it as UTF-8`, line, column: 1 }]);
  }
}

/**
 * Reads the config file that applies (see {@link configFilePath}); a missing `observability.yaml` means all
 * defaults, a missing file named by `AIML_OBS_CONFIG` is an error.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): LoadedConfig {
  const { path, explicit } = configFilePath(env, cwd);
  const source = explicit ? CONFIG_FILE_ENV : DEFAULT_CONFIG_FILE;
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) {
    if (explicit) throw new ConfigFileError(path, [{ path: CONFIG_FILE_ENV, message: `names ${path}, which does not exist` }]);
    return loaded({ config: CONFIG_SCHEMA.parse({}), locate: () => undefined });
  }
  if (stat.isDirectory()) {
    throw new ConfigFileError(path, [{ path: source, message: `${path} is a directory: name the YAML file, e.g. ${join(path, DEFAULT_CONFIG_FILE)}` }]);
  }
  return readConfig(readText(path), path);
}

/**
 * A construct's {@link PropError} as the config file's problem: each prop named by the key that sets it (the prop
 * path where no key does), with the key's position in the file.
 */
export function configErrorFromPropError(error: PropError, loaded: LoadedConfig): ConfigFileError {
  const name = (path: PropPath) => configKeyOf(path) ?? `${path.join('.')} (a prop the config file does not set)`;
  return new ConfigFileError(
    loaded.file ?? DEFAULT_CONFIG_FILE,
    error.issues.map((issue) => {
      const key = configKeyOf(issue.path);
      return { path: name(issue.path), message: propIssueMessage(issue, name), ...(key ? loaded.locate(key.split('.')) : {}) };
    }),
  );
}
