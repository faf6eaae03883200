import { type JsonSchemaNode, schemaKeys } from './json-schema.js';

const code = (value: unknown) => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;

function typeOf(node: JsonSchemaNode): string {
  if (node.enum) return node.enum.map(code).join(' \\| ');
  if (node.properties) return 'mapping';
  if (node.type === 'object') return 'mapping (free-form)';
  const range = node.minimum !== undefined || node.maximum !== undefined ? ` (${node.minimum ?? '-∞'} to ${node.maximum ?? '∞'})` : '';
  return `${node.type === 'integer' ? 'whole number' : String(node.type)}${range}`;
}

/** The README's config reference: one row per key of the config file, with its type, default and meaning. */
export function configReferenceMarkdown(): string {
  const rows = schemaKeys().map(({ path, node }) => {
    const fallback = node.default !== undefined && !node.properties ? code(node.default) : '';
    return `| \`${path.join('.')}\` | ${typeOf(node)} | ${fallback} | ${(node.description ?? '').replace(/\|/g, '\\|')} |`;
  });
  return ['| key | type | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
