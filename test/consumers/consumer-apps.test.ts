/**
 * The package as people install it: `npm pack` of the build, installed offline into three fresh apps outside the
 * repository, each of which must synthesize the same objects as this repository's own code for the same props:
 * - the app `cdk8s init typescript-app` generates (CommonJS, ts-node, jest; its files are read from the pinned
 *   cdk8s-cli's template and rendered as `cdk8s init` does), compiled with `tsc`, tested with jest and
 *   synthesized with `npx cdk8s synth`;
 * - an ES module app compiled with `tsc` (NodeNext, strict, exactOptionalPropertyTypes) and run with node;
 * - a plain JavaScript (CommonJS) app run with node.
 * Run with `npm run test:consumers` after `npm run build` (CI: after `npm ci`, which builds).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { App } from 'cdk8s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { type CredentialStore, ObservabilityChart, type ObservabilityChartProps } from '../../src/index.js';
import { assertBuildIsCurrent } from '../../scripts/build-freshness.js';
import { type ConsumerManifest, consumerLockfile, type Lockfile, type TarballPackage } from './consumer-lockfile.js';

const run = promisify(execFile);
const repo = join(import.meta.dirname, '..', '..');
const fixtures = join(import.meta.dirname, 'apps');
const requireFromRepo = createRequire(join(repo, 'package.json'));
const cliTemplate = join(repo, 'node_modules', 'cdk8s-cli', 'templates', 'typescript-app');

/** The props every app passes (see each app's main file). */
const credentials: CredentialStore = { getOrCreate: (key) => `consumer-test/${key}` };
const PROPS: ObservabilityChartProps = { delivery: 'external', credentials };

type Objects = unknown[][];

/** What this repository's own code synthesizes for PROPS: the objects of each chart, in file order. */
function reference(): Objects {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'consumer-reference-')) });
  new ObservabilityChart(app, 'observability', PROPS);
  try {
    app.synth();
    return readDist(app.outdir);
  } finally {
    rmSync(app.outdir, { recursive: true, force: true });
  }
}

/** The objects of each `*.k8s.yaml` file an app wrote, in file order. */
function readDist(dir: string): Objects {
  const files = readdirSync(dir).filter((f) => f.endsWith('.k8s.yaml')).sort();
  return files.map((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((doc) => doc.toJSON()));
}

/** Runs a command in `cwd` (no network: npm is offline, the cdk8s CLI skips its upgrade check). */
async function sh(cwd: string, command: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, args, {
      cwd,
      env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout + stderr;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}\n${e.stderr ?? e.message}`);
  }
}

/** Installs `dir`'s package.json offline, from a lockfile cut out of the repository's own. */
async function install(dir: string, tarball: TarballPackage): Promise<void> {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as ConsumerManifest;
  const repoLock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as Lockfile;
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(consumerLockfile(repoLock, manifest, tarball), null, 2));
  await sh(dir, 'npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error']);
}

/** The files `cdk8s init typescript-app` writes, rendered with the versions it would use, into `dir`. */
function renderCdk8sInitTemplate(dir: string): void {
  const version = (name: string) => (requireFromRepo(`${name}/package.json`) as { version: string }).version;
  const cli = requireFromRepo('cdk8s-cli/package.json') as { version: string; dependencies: Record<string, string> };
  // The same values cdk8s-cli's `init` computes (lib/cli/cmds/init.js: determineDeps).
  const values: Record<string, string> = {
    $base: basename(dir),
    cdk8s_core_version: version('cdk8s'),
    cdk8s_plus_version: version('cdk8s-plus-33'),
    constructs_version: cli.dependencies.constructs!.replace('^', ''),
    cdk8s_cli_spec: `^${cli.version}`,
  };
  for (const file of readdirSync(cliTemplate)) {
    const source = join(cliTemplate, file);
    if (file.startsWith('.hooks') || statSync(source).isDirectory()) continue; // the hook runs `npm install` and `cdk8s import` (network)
    const text = readFileSync(source, 'utf8').replace(/\{\{\s*([$\w]+)\s*\}\}/g, (_, key: string) => {
      if (!(key in values)) throw new Error(`cdk8s-cli template ${file}: unknown placeholder ${key}`);
      return values[key]!;
    });
    writeFileSync(join(dir, file.replace('{{}}', '')), text);
  }
}

let work: string;
let tarball: TarballPackage;
let packed: { filename: string; size: number };
let expected: Objects;

beforeAll(async () => {
  assertBuildIsCurrent(repo);
  work = mkdtempSync(join(tmpdir(), 'aiml-observability-consumers-'));
  [packed] = JSON.parse(await sh(repo, 'npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work])) as Array<typeof packed>;
  const file = join(work, 'aiml-observability.tgz');
  renameSync(join(work, packed.filename), file);
  const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as TarballPackage['manifest'];
  tarball = { spec: 'file:../aiml-observability.tgz', file, manifest };
  expected = reference();
}, 120_000);

afterAll(() => {
  // CONSUMER_KEEP=1 keeps the apps for a look after a failure.
  if (work && !process.env.CONSUMER_KEEP) rmSync(work, { recursive: true, force: true });
});

// The apps install and build concurrently: most of the time is npm and tsc waiting on the disk or each other.
describe.concurrent('the package installed into consumer apps', () => {
  it('the app `cdk8s init typescript-app` generates: tsc, jest and `npx cdk8s synth` work, same objects', async () => {
    const dir = join(work, 'cdk8s-app');
    mkdirSync(dir);
    renderCdk8sInitTemplate(dir);
    cpSync(join(fixtures, 'cdk8s-typescript-app'), dir, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    manifest.dependencies['aiml-observability'] = tarball.spec;
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
    await install(dir, tarball);

    await sh(dir, 'npm', ['run', 'compile']); // tsc --build: the template's strict settings, no skipLibCheck
    await Promise.all([
      sh(dir, 'npx', ['jest'], { CONSUMER_OBJECTS: join(dir, 'jest-objects.json') }),
      sh(dir, 'npx', ['cdk8s', 'synth']), // runs the template's `app: npx ts-node main.ts`
    ]);

    expect(readDist(join(dir, 'dist'))).toEqual(expected);
    expect(JSON.parse(readFileSync(join(dir, 'jest-objects.json'), 'utf8'))).toEqual(expected);
    expect(readdirSync(dir)).not.toContain('.aiml-observability');
  }, 240_000);

  it('an ES module app compiled with tsc (NodeNext, strict, exactOptionalPropertyTypes): same objects', async () => {
    const dir = join(work, 'esm-nodenext');
    cpSync(join(fixtures, 'esm-nodenext'), dir, { recursive: true });
    await install(dir, tarball);

    await sh(dir, 'npx', ['tsc', '-p', '.']);
    await sh(dir, 'node', ['build/main.js']);

    expect(readDist(join(dir, 'dist'))).toEqual(expected);
  }, 240_000);

  it('the README shows the install and the imports these apps use, and the package size', () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Using the constructs in your own cdk8s app'));
    expect(section).toContain('npm ci && npm pack');
    expect(section).toContain(`npm install ../aiml-observability/${packed.filename}`);
    const name = tarball.manifest.name;
    expect(section).toContain(`import { ObservabilityChart } from '${name}';`);
    expect(section).toContain(`const { ObservabilityChart } = require('${name}');`);
    for (const app of ['cdk8s-typescript-app/main.ts', 'esm-nodenext/main.ts']) {
      expect(readFileSync(join(fixtures, app), 'utf8')).toMatch(new RegExp(`^import \\{[^}]*\\bObservabilityChart\\b[^}]*\\} from '${name}';$`, 'm'));
    }
    expect(readFileSync(join(fixtures, 'plain-js', 'main.js'), 'utf8')).toContain(`const { ObservabilityChart } = require('${name}');`);
    // The size README states, within 10% of today's (update it from `npm run bench` when it drifts).
    const stated = Number(/`npm pack` is \*\*([\d.]+) kB\*\*/.exec(section)?.[1]);
    expect(Math.abs(stated * 1000 - packed.size) / packed.size, `README says ${stated} kB, npm pack is ${packed.size} bytes`).toBeLessThan(0.1);
  });

  it('a plain JavaScript (CommonJS) app: same objects', async () => {
    const dir = join(work, 'plain-js');
    cpSync(join(fixtures, 'plain-js'), dir, { recursive: true });
    await install(dir, tarball);

    await sh(dir, 'node', ['main.js']);

    expect(readDist(join(dir, 'dist'))).toEqual(expected);
  }, 240_000);
});
