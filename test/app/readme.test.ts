import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configReferenceMarkdown } from '../../src/config/config-reference.js';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

describe('README', () => {
  it('carries the current config reference (regenerate with npm run docs:config)', () => {
    const match = /<!-- config-reference:start[^>]*-->\n([\s\S]*?)\n?<!-- config-reference:end -->/.exec(readme);
    expect(match, 'config reference markers').not.toBeNull();
    expect(match![1]!.trim()).toBe(configReferenceMarkdown());
  });

  it('shows the set-up and test commands', () => {
    expect(readme).toContain('npm ci');
    expect(readme).toContain('npm test');
    expect(readme).toContain('kubectl apply --server-side -f dist/');
  });
});
