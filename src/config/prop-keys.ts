/**
 * Which config key a prop comes from, so that an error a construct raises about its props (`openSearch.nodes.replicas`)
 * names the key the user wrote (`opensearch.nodes.replicas`).
 *
 * Learned from {@link configToProps} itself rather than kept in a second table that could drift from it: starting
 * from a config that sets every key (its default or example), change one key at a time and see which props change.
 */
import { type PropPath } from '../core/prop-error.js';
import { isPlainObject } from '../core/deep-merge.js';
import { CONFIG_SCHEMA, configToProps } from './config-schema.js';
import { type JsonSchemaNode, schemaKeys, schemaNodeAt } from './json-schema.js';

/** A config that sets every key of the schema: to its default, or to its example. */
export function everyKeyConfig(): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const { path, node } of schemaKeys()) {
    if (node.properties) continue;
    const value = node.default ?? node.examples?.[0] ?? (node.type === 'object' ? {} : undefined);
    if (value === undefined) throw new Error(`config key ${path.join('.')} has neither a default nor an example`);
    setIn(config, path, value);
  }
  return config;
}

function setIn(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const segment of path.slice(0, -1)) node = (node[segment] ??= {}) as Record<string, unknown>;
  node[path[path.length - 1]!] = value;
}

function getIn(target: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, segment) => (isPlainObject(node) ? node[segment] : undefined), target);
}

/** A different value of the same kind, so the mapping carries it somewhere else than the original. */
function changed(value: unknown): unknown {
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'string') return `${value}-changed`;
  if (Array.isArray(value)) return [...value, 'changed'];
  return { ...(value as object), changed: true };
}

/** The props as leaf paths and values (arrays are leaves). */
function leaves(value: unknown, path: string[] = [], out = new Map<string, string>()): Map<string, string> {
  if (isPlainObject(value)) {
    for (const [key, child] of Object.entries(value)) if (child !== undefined) leaves(child, [...path, key], out);
  } else {
    out.set(path.join('.'), JSON.stringify(value));
  }
  return out;
}

let index: ReadonlyMap<string, readonly string[]> | undefined;

/** For every prop path the config can set, the config keys (as key paths) that set it. */
export function propKeyIndex(): ReadonlyMap<string, readonly string[]> {
  if (index) return index;
  const base = CONFIG_SCHEMA.parse(everyKeyConfig());
  const before = leaves(configToProps(base));
  const found = new Map<string, string[]>();
  const leafKeys = schemaKeys().filter(({ node }: { node: JsonSchemaNode }) => !node.properties);
  for (const { path } of leafKeys) {
    const config = structuredClone(base) as Record<string, unknown>;
    setIn(config, path, changed(getIn(config, path)));
    const after = leaves(configToProps(config as typeof base));
    for (const prop of new Set([...before.keys(), ...after.keys()])) {
      if (before.get(prop) !== after.get(prop)) found.set(prop, [...(found.get(prop) ?? []), path.join('.')]);
    }
  }
  index = found;
  return index;
}

function commonPrefix(keys: readonly string[]): string {
  if (keys.length === 1) return keys[0]!;
  const split = keys.map((k) => k.split('.'));
  const prefix: string[] = [];
  for (let i = 0; split.every((parts) => i < parts.length - 1 && parts[i] === split[0]![i]); i++) prefix.push(split[0]![i]!);
  return prefix.join('.');
}

/**
 * The config key that sets the prop at `path` (a prop path from ObservabilityChartProps), or undefined when no key
 * does. A path inside a prop the config sets whole (an item of a list) names that key; a path above several props
 * names the mapping their keys share. A path inside an item of a list of mappings (passed through item by item)
 * names the item's key: `prometheus-stack.remoteWrite.0.send`.
 */
export function configKeyOf(path: PropPath): string | undefined {
  const props = propKeyIndex();
  for (let length = path.length; length > 0; length--) {
    const keys = props.get(path.slice(0, length).join('.'));
    if (!keys) continue;
    // A list of mappings passed through item by item (prometheus-stack.remoteWrite): the item's keys are the props'.
    const node = schemaNodeAt(keys[0]!.split('.'));
    const items = node?.items as { type?: unknown } | undefined;
    if (length < path.length && node?.type === 'array' && items?.type === 'object') return [keys[0], ...path.slice(length)].join('.');
    return keys[0];
  }
  // Above several props: the keys that feed only props inside it.
  const inside = `${path.join('.')}.`;
  const within = new Set<string>();
  const outside = new Set<string>();
  for (const [prop, keys] of props) for (const key of keys) (prop.startsWith(inside) ? within : outside).add(key);
  const keys = [...within].filter((key) => !outside.has(key));
  return keys.length > 0 ? commonPrefix(keys) || undefined : undefined;
}
