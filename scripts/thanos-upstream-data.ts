/**
 * Writes test/thanos/data/thanos-<version>.values.json: the default values of the thanos-community `thanos` chart
 * at the version pinned in src/core/upstream-chart.ts (charts/thanos/values.yaml at tag `thanos-<version>` of
 * github.com/thanos-community/helm-charts), comments removed, so the tests check every key the Thanos hub sets
 * against the chart. ../shared has no values file for this chart (the hub was added after it was made).
 *
 *   npx tsx scripts/thanos-upstream-data.ts <thanos-community/helm-charts git dir>
 *
 * The git dir is a snapshot of the repository (the search tool's `fetch`).
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { UPSTREAM_CHARTS } from '../src/core/upstream-chart.js';

const [gitDir] = process.argv.slice(2);
if (!gitDir) throw new Error('usage: npx tsx scripts/thanos-upstream-data.ts <thanos-community/helm-charts git dir>');
const { version } = UPSTREAM_CHARTS.thanos;
const tag = `thanos-${version}`;
const git = (...args: string[]) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const commit = git('rev-parse', `${tag}^{commit}`).trim();
const text = git('show', `${commit}:charts/thanos/values.yaml`);
const data = {
  $source: {
    upstream: `Helm chart thanos (${UPSTREAM_CHARTS.thanos.repoUrl}), charts/thanos/values.yaml of github.com/thanos-community/helm-charts`,
    version,
    from: { tag, commit, sha256: createHash('sha256').update(text).digest('hex') },
    kept: 'the default values; comments removed',
    generatedBy: 'scripts/thanos-upstream-data.ts',
  },
  values: parse(text),
};
const out = join(import.meta.dirname, '..', 'test', 'thanos', 'data', `thanos-${version}.values.json`);
mkdirSync(join(out, '..'), { recursive: true });
writeFileSync(out, `${JSON.stringify(data, null, 1)}\n`);
console.log(`wrote ${out} (${tag}, ${commit.slice(0, 12)})`);
