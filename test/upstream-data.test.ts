/**
 * test/upstream holds what scripts/upstream-data.ts makes of the pinned sources: every file says where it comes
 * from, and (where ../shared is beside the repository, as on the developers' machines and in CI) was made from the
 * shared files as they are now. `npm run upstream:data -- --check` compares the content itself.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UPSTREAM_DIR, upstreamJson, type UpstreamSource } from './support/upstream.js';

const SHARED_DIR = process.env.SHARED_DIR ?? join(import.meta.dirname, '..', '..', 'shared');

function files(dir = UPSTREAM_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name === 'README.md' ? [] : [relative(UPSTREAM_DIR, join(dir, e.name))],
  );
}

/** The `$source` of a JSON file, or what the `#` header lines of a CSV say. */
function sourceOf(file: string): UpstreamSource {
  if (file.endsWith('.json')) return upstreamJson<object>(file).$source;
  const header = Object.fromEntries(
    readFileSync(join(UPSTREAM_DIR, file), 'utf8').split('\n').filter((l) => /^# [a-z]+: /.test(l)).map((l) => [l.slice(2, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
  );
  const from = /^(\S+) \(sha256 ([0-9a-f]{64})\)$/.exec(header.from ?? '');
  return { upstream: header.upstream ?? '', version: /\b\d+\.\d+\.\d+\b/.exec(header.upstream ?? '')?.[0] ?? '', from: from ? { [from[1]!]: from[2]! } : {}, kept: header.kept ?? '' };
}

describe('test/upstream (written by scripts/upstream-data.ts)', () => {
  const all = files();

  it('holds the Kubernetes schema, the CRDs, the chart values and the metric catalogs', () => {
    expect(all).toEqual(expect.arrayContaining(['kubernetes-1.30.0.json', 'metrics/catalog.json', 'metrics/dcgm-exporter-4.8.2.default-counters.csv']));
    expect(all.filter((f) => f.startsWith('crds/')).length).toBeGreaterThanOrEqual(7);
    expect(all.filter((f) => f.startsWith('helm-values/')).length).toBeGreaterThanOrEqual(5);
  });

  it.each(all)('%s names its upstream source, version and the shared file(s) it was made from', (file) => {
    const source = sourceOf(file);
    expect(source.upstream).not.toBe('');
    expect(source.version).not.toBe('');
    expect(source.kept).not.toBe('');
    expect(Object.keys(source.from).length).toBeGreaterThan(0);
    for (const [path, sha] of Object.entries(source.from)) {
      expect(path).toMatch(/^shared\//);
      expect(sha).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it.skipIf(!existsSync(SHARED_DIR))('was made from ../shared as it is now (else run npm run upstream:data)', () => {
    const stale = all.flatMap((file) =>
      Object.entries(sourceOf(file).from)
        .filter(([path, sha]) => {
          const current = join(SHARED_DIR, path.slice('shared/'.length));
          return !existsSync(current) || createHash('sha256').update(readFileSync(current)).digest('hex') !== sha;
        })
        .map(([path]) => `${file} <- ${path}`),
    );
    expect(stale).toEqual([]);
  });
});
