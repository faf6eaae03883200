/** The JSON Schema of the config file, made from {@link CONFIG_SCHEMA}: shipped as observability.schema.json. */
import { z } from 'zod';
import { CONFIG_SCHEMA } from './config-schema.js';

/** The subset of JSON Schema (draft 7) the config's schema uses, as the README and the loader read it. */
export interface JsonSchemaNode {
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly default?: unknown;
  readonly examples?: readonly unknown[];
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly properties?: Readonly<Record<string, JsonSchemaNode>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchemaNode;
  readonly [keyword: string]: unknown;
}

/** Where the schema is published in the package (users point `# yaml-language-server: $schema=` at it). */
export const CONFIG_JSON_SCHEMA_FILE = 'observability.schema.json';

let cached: JsonSchemaNode | undefined;

/**
 * The config file's JSON Schema (draft 7, which the YAML language server reads): the keys as they are written, with
 * their descriptions, defaults, examples, allowed values, patterns and bounds.
 */
export function configJsonSchema(): JsonSchemaNode {
  // zod types sub-schemas as `object | boolean`; a declaration of keys only ever produces objects.
  cached ??= z.toJSONSchema(CONFIG_SCHEMA, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  return cached;
}

/** The file's text: the schema, pretty-printed, with a trailing newline. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

/** Every key of the schema, depth first, with its node: `['charts', 'delivery']`. */
export function schemaKeys(node: JsonSchemaNode = configJsonSchema(), path: readonly string[] = []): Array<{ path: readonly string[]; node: JsonSchemaNode }> {
  const rows: Array<{ path: readonly string[]; node: JsonSchemaNode }> = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    rows.push({ path: [...path, key], node: child }, ...schemaKeys(child, [...path, key]));
  }
  return rows;
}

/** The node of the key at `path`, if the schema has it. */
export function schemaNodeAt(path: readonly (string | number)[]): JsonSchemaNode | undefined {
  let node: JsonSchemaNode | undefined = configJsonSchema();
  for (const segment of path) node = node?.properties?.[String(segment)];
  return node;
}
