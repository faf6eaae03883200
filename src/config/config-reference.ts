import { CONFIG_SCHEMA } from './config-schema.js';
import { describe } from './schema.js';

/** The README's config reference: one row per key of the config file, with its type, default and meaning. */
export function configReferenceMarkdown(): string {
  const rows = describe(CONFIG_SCHEMA).map(({ path, field }) => {
    const type =
      field.kind === 'enum' ? field.values.map((v) => `\`${v}\``).join(' \\| ') : field.kind === 'object' ? 'mapping' : field.kind === 'map' ? 'mapping (free-form)' : field.kind;
    const fallback = 'default' in field && field.default !== undefined ? `\`${String(field.default)}\`` : '';
    return `| \`${path}\` | ${type} | ${fallback} | ${field.doc.replace(/\|/g, '\\|')} |`;
  });
  return ['| key | type | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
