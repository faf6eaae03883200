/**
 * The output directory through the command users run, `npx cdk8s synth` (the pinned cdk8s-cli's bin, which `npx`
 * resolves to), not only through `synthesize()`: the CLI deletes its own output directory before it starts the app
 * (cdk8s-cli 2.207.60, lib/cli/cmds/synth.js), so only a test of the real command sees what happens to dist/.
 * The app is bundled from the current sources for the test (as `npm run build` does), so lib/ need not be fresh.
 * Each CLI run takes about 2 s on an idle machine (up to 20 s under a loaded full `npm test`); the runs are few and grouped.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CDK8S_CLI_OUTPUT, outputDirectory, synthesize } from '../../app/main.js';
import { OUTPUT_RECORD_FILE } from '../../app/output-dir.js';
import { EXAMPLES } from '../../examples/examples.js';
import { synthesizeExamples } from '../../examples/synth-all.js';
import { writeTestCredentialsFile } from '../support/synth.js';

const root = join(import.meta.dirname, '..', '..');
const cdk8sBin = join(root, 'node_modules', '.bin', 'cdk8s');
const bundleDir = join(root, 'node_modules', '.cache', 'aiml-observability-test');
const bundle = join(bundleDir, `main-${process.pid}.js`);
const cdk8sYaml = parse(readFileSync(join(root, 'cdk8s.yaml'), 'utf8')) as { app: string; output: string };

beforeAll(async () => {
  mkdirSync(bundleDir, { recursive: true });
  await build({ absWorkingDir: root, entryPoints: ['app/main.ts'], outfile: bundle, bundle: true, platform: 'node', target: 'node20', packages: 'external', format: 'esm', logLevel: 'warning' });
}, 60_000);
afterAll(() => rmSync(bundle, { force: true }));

/** A project directory: this repository's cdk8s.yaml (the app bundled from the sources), `config`, the test credentials. */
function project(config: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'obs-cli-'));
  writeFileSync(join(dir, 'cdk8s.yaml'), readFileSync(join(root, 'cdk8s.yaml'), 'utf8').replace(`app: ${cdk8sYaml.app}`, `app: node ${bundle}`));
  writeFileSync(join(dir, 'observability.yaml'), config);
  writeTestCredentialsFile(dir);
  return dir;
}

/** `npx cdk8s synth <args>` in `dir`. */
function cdk8sSynth(dir: string, args: string[] = [], env: Record<string, string> = {}) {
  const result = spawnSync(cdk8sBin, ['synth', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', ...env } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Every file under `dir` with its bytes and mode, for byte-identical comparisons. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[relative(dir, path)] = `${(statSync(path).mode & 0o777).toString(8)} ${readFileSync(path, 'base64')}`;
    }
  };
  walk(dir);
  return out;
}

describe('npx cdk8s synth and the output directory', () => {
  it("names a directory of the app's own as the CLI's output, so the CLI's delete never reaches dist/", () => {
    expect(cdk8sYaml.output).toBe(CDK8S_CLI_OUTPUT);
    expect(cdk8sYaml.app).toBe('node lib/app/main.js');
  });

  it('keeps dist/ byte-identical on a failed synth, replaces only its own files on a good one, leaves dist/examples/ and other files alone, writes Secrets 0600', () => {
    const dir = project('charts:\n  delivery: flux\n');
    // `npm run synth:examples` first: dist/ then holds only dist/examples/, which the app did not write but may share.
    synthesizeExamples(join(dir, 'dist', 'examples'), { training: EXAMPLES.training });
    const first = cdk8sSynth(dir);
    expect(first.output).toContain('wrote dist/: 0000-observability-setup.k8s.yaml, 0001-observability.k8s.yaml, keep/0000-observability-setup.k8s.yaml');
    expect(first.status).toBe(0);
    expect(readFileSync(join(dir, 'dist', OUTPUT_RECORD_FILE), 'utf8').split('\n').slice(1, -1)).toEqual([
      '0000-observability-setup.k8s.yaml',
      '0001-observability.k8s.yaml',
      'keep/0000-observability-setup.k8s.yaml',
    ]);
    writeFileSync(join(dir, 'dist', 'NOTES.md'), 'my notes\n');
    const good = snapshot(join(dir, 'dist'));
    expect(Object.keys(good)).toContain('examples/training/llama-finetune.k8s.yaml');

    writeFileSync(join(dir, 'observability.yaml'), 'charts:\n  delivery: kustomize\n');
    const failed = cdk8sSynth(dir);
    expect(failed.status).toBe(1);
    expect(failed.output).toMatch(/charts\.delivery: "kustomize" is not allowed/);
    expect(snapshot(join(dir, 'dist'))).toEqual(good);

    writeFileSync(join(dir, 'observability.yaml'), 'charts:\n  delivery: argocd\n');
    const second = cdk8sSynth(dir);
    expect(second.status).toBe(0);
    expect(second.output).toContain('left alone in dist/ (not written by this app): NOTES.md, examples');
    const after = snapshot(join(dir, 'dist'));
    for (const kept of Object.keys(good).filter((f) => f === 'NOTES.md' || f.startsWith('examples/'))) expect(after[kept]).toBe(good[kept]);
    // Replaced: the upstream charts are now Argo CD Applications instead of Flux HelmReleases.
    expect(readFileSync(join(dir, 'dist', '0000-observability-setup.k8s.yaml'), 'utf8')).toMatch(/^kind: Application$/m);
    expect(readFileSync(join(dir, 'dist', '0000-observability-setup.k8s.yaml'), 'utf8')).not.toMatch(/^kind: HelmRelease$/m);
    // The setup file holds the generated Secrets: owner-only. The main file holds none here.
    expect(readFileSync(join(dir, 'dist', '0000-observability-setup.k8s.yaml'), 'utf8')).toMatch(/^kind: Secret$/m);
    expect(after['0000-observability-setup.k8s.yaml']!.split(' ')[0]).toBe('600');
    expect(readFileSync(join(dir, 'dist', '0001-observability.k8s.yaml'), 'utf8')).not.toMatch(/^kind: Secret$/m);
    expect(after['0001-observability.k8s.yaml']!.split(' ')[0]).toBe('644');
  }, 240_000);

  it('refuses a non-empty directory it did not create (AIML_OBS_OUTDIR), touching nothing in it', () => {
    const dir = project('charts:\n  delivery: flux\n');
    mkdirSync(join(dir, 'deploy'));
    writeFileSync(join(dir, 'deploy', 'README.md'), 'hand-written\n');
    const result = cdk8sSynth(dir, [], { AIML_OBS_OUTDIR: 'deploy' });
    expect(result.status).toBe(1);
    expect(result.output).toMatch(/deploy is not empty and was not written by this app \(it holds .*deploy\/README\.md/);
    expect(snapshot(join(dir, 'deploy'))).toEqual({ 'README.md': `644 ${Buffer.from('hand-written\n').toString('base64')}` });
  }, 120_000);

  it('refuses -o: the cdk8s CLI deletes that directory before the app starts, and the message says what to use instead; --stdout works', () => {
    const dir = project('charts:\n  delivery: flux\n');
    const result = cdk8sSynth(dir, ['-o', 'deploy']);
    expect(result.status).toBe(1);
    expect(result.output).toMatch(/the cdk8s CLI was given the output directory deploy .* deleted it before starting this app; nothing was written.*AIML_OBS_OUTDIR=deploy npx cdk8s synth/s);
    expect(existsSync(join(dir, 'dist'))).toBe(false);
    // --stdout: the CLI hands the app an empty temporary directory of its own and prints what the app wrote there.
    const printed = cdk8sSynth(dir, ['--stdout']);
    expect(printed.status).toBe(0);
    expect(printed.output).toMatch(/^kind: HelmRelease$/m);
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  }, 120_000);
});

describe('the app run directly (CDK8S_OUTDIR)', () => {
  it('refuses CDK8S_OUTDIR=.. (a project directory): nothing in it is deleted', () => {
    const parent = mkdtempSync(join(tmpdir(), 'obs-parent-'));
    writeFileSync(join(parent, 'package.json'), '{}\n');
    const dir = join(parent, 'sub');
    mkdirSync(dir);
    writeFileSync(join(dir, 'observability.yaml'), 'charts:\n  delivery: flux\n');
    writeTestCredentialsFile(dir);
    const before = snapshot(parent);
    const { outdir } = outputDirectory({ CDK8S_OUTDIR: '..' }, dir);
    expect(outdir).toBe(parent);
    expect(() => synthesize(outdir, {}, dir)).toThrow(/obs-parent-\w+ is not empty and was not written by this app/);
    expect(snapshot(parent)).toEqual(before);
  });
});
