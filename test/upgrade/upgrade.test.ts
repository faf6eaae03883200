/**
 * An upgrade is `kubectl apply --server-side -f dist/` of the new output over the previous one. This test
 * synthesizes the configs of test/upgrade/baseline.json with today's code (through the app, as `npx cdk8s synth`
 * does) and diffs the result against what the previous version wrote for the same config text: objects it no
 * longer writes stay behind in the cluster, and changed fields an update cannot change make the apply fail (or a
 * controller reinstall). Each of those is a manual step that docs/upgrading.md must name under
 * "## From <version>", and the page must name nothing else, so it stays true as the code changes.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { synthesize } from '../../app/main.js';
import { writeTestCredentialsFile } from '../support/synth.js';
import type { UpgradeBaseline } from './upgrade-configs.js';
import { diffProjections, projectObjects, type ManifestObject, type UpgradeDiff } from './upgrade-projection.js';

const ROOT = join(import.meta.dirname, '..', '..');
const baseline = JSON.parse(readFileSync(join(import.meta.dirname, 'baseline.json'), 'utf8')) as UpgradeBaseline;
const version = baseline.$source.version;

function synthToday(config: string, credentialsFile: string): ManifestObject[] {
  const dir = mkdtempSync(join(tmpdir(), 'obs-upgrade-'));
  writeFileSync(join(dir, 'observability.yaml'), config);
  writeTestCredentialsFile(dir, credentialsFile);
  synthesize('dist', {}, dir);
  return readdirSync(join(dir, 'dist'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, 'dist', f), 'utf8')).map((d) => d.toJS() as ManifestObject));
}

/** The object ids docs/upgrading.md names (in backticks) under "## From <version>". */
function documentedSteps(): Set<string> {
  const page = readFileSync(join(ROOT, 'docs', 'upgrading.md'), 'utf8');
  const start = page.indexOf(`## From ${version}`);
  expect(start, `docs/upgrading.md has no "## From ${version}" section`).toBeGreaterThanOrEqual(0);
  const rest = page.slice(start + 1);
  const end = rest.search(/^## /m);
  const section = end < 0 ? rest : rest.slice(0, end);
  return new Set([...section.matchAll(/`([A-Z][A-Za-z]+ [^`\s]+)`/g)].map((m) => m[1]!));
}

describe(`upgrading from ${version} (${baseline.$source.commit.slice(0, 12)})`, () => {
  const diffs: Record<string, UpgradeDiff> = {};
  for (const [name, { config, credentialsFile, objects }] of Object.entries(baseline.configs)) {
    diffs[name] = diffProjections(objects, projectObjects(synthToday(config, credentialsFile)));
  }

  it('names in docs/upgrading.md exactly the objects an apply leaves behind or cannot update', () => {
    const manual = new Set(Object.values(diffs).flatMap((d) => [...d.removed, ...d.fixedChanged]));
    const summary = Object.entries(diffs)
      .map(([name, d]) => `${name}: ${d.added.length} added, ${d.changed.length} changed, ${d.removed.length} removed, ${d.fixedChanged.length} with fixed fields changed`)
      .join('; ');
    process.stdout.write(`upgrade from ${version}: ${summary}\n`);
    expect([...manual].sort(), 'manual steps missing from docs/upgrading.md').toEqual([...documentedSteps()].filter((id) => manual.has(id)).sort());
    expect([...documentedSteps()].filter((id) => !manual.has(id)), 'docs/upgrading.md names objects that need no manual step').toEqual([]);
  });

  it('can fail: a removed object and a changed selector are both reported', () => {
    const before = projectObjects([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a', namespace: 'n' }, spec: { selector: { matchLabels: { app: 'a' } } } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gone', namespace: 'n' } },
    ]);
    const after = projectObjects([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a', namespace: 'n' }, spec: { selector: { matchLabels: { app: 'b' } } } },
    ]);
    expect(diffProjections(before, after)).toEqual({ added: [], changed: ['Deployment n/a'], removed: ['ConfigMap n/gone'], fixedChanged: ['Deployment n/a'] });
  });
});
