// Rewrites the config reference between the README's markers (npm run docs:config -- --write).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configReferenceMarkdown } from '../src/config/config-reference.js';

const file = join(import.meta.dirname, '..', 'README.md');
const readme = readFileSync(file, 'utf8');
const updated = readme.replace(
  /(<!-- config-reference:start[^>]*-->\n)[\s\S]*?(<!-- config-reference:end -->)/,
  (_, start: string, end: string) => `${start}${configReferenceMarkdown()}\n${end}`,
);
writeFileSync(file, updated);
