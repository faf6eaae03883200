/**
 * Writes test/upgrade/baseline.json: what a previous version of this project synthesizes, projected to what an
 * upgrade needs (test/upgrade/upgrade-projection.ts), for the configs the upgrade test replays.
 *
 *   npm run upgrade:baseline -- <commit> <version>     # e.g. 3b9039a 0.1.0
 *
 * The previous version's tree is exported with `git archive <commit>` into a temporary folder and run with this
 * project's node_modules (tsx), through its own app entry (`synthesize` of app/main.ts) and its own test
 * credentials, so the output is exactly what that version's `npx cdk8s synth` wrote. Secret values are kept only as
 * digests. Run it when a version is released; the upgrade test then diffs every later change against it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { projectObjects, type ManifestObject } from '../test/upgrade/upgrade-projection.js';
import { UPGRADE_CONFIGS, type UpgradeBaseline } from '../test/upgrade/upgrade-configs.js';

const REPO = resolve(import.meta.dirname, '..');
const [commit, version] = process.argv.slice(2);
if (!commit || !version) {
  process.stderr.write('usage: npm run upgrade:baseline -- <commit> <version>\n');
  process.exit(2);
}
const fullCommit = execFileSync('git', ['rev-parse', `${commit}^{commit}`], { cwd: REPO, encoding: 'utf8' }).trim();

const work = mkdtempSync(join(tmpdir(), 'upgrade-baseline-'));
try {
  const tree = join(work, 'tree');
  mkdirSync(tree);
  execFileSync('sh', ['-c', `git archive ${fullCommit} | tar -x -C '${tree}'`], { cwd: REPO });
  symlinkSync(join(REPO, 'node_modules'), join(tree, 'node_modules'));
  // The runner lives in the old tree and uses only that version's own modules.
  writeFileSync(
    join(tree, 'upgrade-runner.ts'),
    `import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesize } from './app/main.js';
import { writeTestCredentialsFile } from './test/support/synth.js';
const configs = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const out = {};
for (const [name, { config, credentialsFile }] of Object.entries(configs)) {
  const dir = mkdtempSync(join(tmpdir(), 'upgrade-project-'));
  writeFileSync(join(dir, 'observability.yaml'), config);
  writeTestCredentialsFile(dir, credentialsFile);
  synthesize('dist', {}, dir);
  const files = readdirSync(join(dir, 'dist'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml')).sort();
  out[name] = files.map((f) => readFileSync(join(dir, 'dist', f), 'utf8'));
}
process.stdout.write(JSON.stringify(out));
`,
  );
  const configsFile = join(work, 'configs.json');
  writeFileSync(configsFile, JSON.stringify(UPGRADE_CONFIGS));
  const output = execFileSync(join(REPO, 'node_modules', '.bin', 'tsx'), ['upgrade-runner.ts', configsFile], {
    cwd: tree,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
  });
  const files = JSON.parse(output) as Record<string, string[]>;
  const baseline: UpgradeBaseline = {
    $source: { version, commit: fullCommit, generatedBy: 'scripts/upgrade-baseline.ts (npm run upgrade:baseline)' },
    configs: Object.fromEntries(
      Object.entries(UPGRADE_CONFIGS).map(([name, config]) => [
        name,
        {
          ...config,
          objects: projectObjects(files[name]!.flatMap((text) => parseAllDocuments(text).map((d) => d.toJS() as ManifestObject))),
        },
      ]),
    ),
  };
  writeFileSync(join(REPO, 'test', 'upgrade', 'baseline.json'), `${JSON.stringify(baseline, null, 1)}\n`);
  process.stdout.write(`test/upgrade/baseline.json: version ${version} (${fullCommit.slice(0, 12)}), ${Object.keys(UPGRADE_CONFIGS).join(', ')}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
