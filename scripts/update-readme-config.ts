// Regenerates what the config schema (src/config/config-schema.ts) is the source of: the config reference between
// the README's markers, and observability.schema.json (npm run docs:config). Tests fail while either is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configReferenceMarkdown } from '../src/config/config-reference.js';
import { CONFIG_JSON_SCHEMA_FILE, configJsonSchemaText } from '../src/config/json-schema.js';

const root = join(import.meta.dirname, '..');
const readmeFile = join(root, 'README.md');
const readme = readFileSync(readmeFile, 'utf8');
writeFileSync(
  readmeFile,
  readme.replace(/(<!-- config-reference:start[^>]*-->\n)[\s\S]*?(<!-- config-reference:end -->)/, (_, start: string, end: string) => `${start}${configReferenceMarkdown()}\n${end}`),
);
writeFileSync(join(root, CONFIG_JSON_SCHEMA_FILE), configJsonSchemaText());
