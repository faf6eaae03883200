/**
 * prometheus-operator objects have one typing mechanism: the classes `cdk8s import` generated from the pinned CRDs
 * (imports/monitoring.coreos.com.ts, scripts/import-crds.sh). Not @kubernetes-models wrapped in an ApiObject, not a
 * hand-built ApiObject with `apiVersion: monitoring.coreos.com/...`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '../..');
const ROOTS = ['src', 'app', 'dashboards', 'examples'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

describe('prometheus-operator objects', () => {
  const files = ROOTS.flatMap((root) => sources(join(REPO, root))).map((f) => ({ file: relative(REPO, f), text: readFileSync(f, 'utf8') }));

  it('are found in the sources (the check reads something)', () => {
    expect(files.filter((f) => f.text.includes('imports/monitoring.coreos.com.js')).length).toBeGreaterThanOrEqual(5);
  });

  it('come only from the classes imported from the pinned CRDs', () => {
    const offenders = files.filter((f) => /@kubernetes-models\/|apiVersion:\s*['"`]monitoring\.coreos\.com\//.test(f.text)).map((f) => f.file);
    expect(offenders).toEqual([]);
  });
});
