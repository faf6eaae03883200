/**
 * `npm run build` (and `npm ci`, through `prepare`) writes lib/:
 * - index.js (ES module) and index.cjs (CommonJS): src/index.ts bundled by esbuild, every package in
 *   node_modules left as an import. One file per format, so a CommonJS app (`cdk8s init typescript-app`: ts-node,
 *   jest) and an ES module app load the same code; only what index.ts reaches is in it.
 * - index.d.ts (and its copy index.d.cts for `require`): the declarations of what index.ts exports, rolled up by
 *   API Extractor from tsc's declarations in lib/types/.
 * - app/main.js: the app `npx cdk8s synth` runs (cdk8s.yaml), bundled the same way; not part of the package.
 * - app/aiml-observability.js: the package's `bin` (the `agent` command), bundled the same way.
 * It also writes API.md, the API report: CI fails when the committed API.md differs from the one the build wrote.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { build, type BuildOptions } from 'esbuild';

const root = join(import.meta.dirname, '..');
const lib = join(root, 'lib');

rmSync(lib, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

const bundle: BuildOptions = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // Class and function names stay as written (error messages and stack traces name them).
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
};
await Promise.all([
  build({ ...bundle, entryPoints: ['src/index.ts'], format: 'esm', outfile: 'lib/index.js' }),
  build({ ...bundle, entryPoints: ['src/index.ts'], format: 'cjs', outfile: 'lib/index.cjs' }),
  build({ ...bundle, entryPoints: ['app/main.ts'], format: 'esm', outfile: 'lib/app/main.js' }),
  build({ ...bundle, entryPoints: ['app/bin.ts'], format: 'esm', outfile: 'lib/app/aiml-observability.js', banner: { js: '#!/usr/bin/env node' } }),
]);

// API Extractor compares its report with the previous one: it says so when the public API changed.
mkdirSync(join(lib, 'api-report'), { recursive: true });
if (existsSync(join(root, 'API.md'))) copyFileSync(join(root, 'API.md'), join(lib, 'api-report', 'API.api.md'));
const config = ExtractorConfig.loadFileAndPrepare(join(root, 'api-extractor.json'));
const result = Extractor.invoke(config, { localBuild: true });
if (!result.succeeded) throw new Error(`API Extractor failed: ${result.errorCount} errors, ${result.warningCount} warnings`);
copyFileSync(join(lib, 'index.d.ts'), join(lib, 'index.d.cts'));
copyFileSync(join(lib, 'api-report', 'API.api.md'), join(root, 'API.md'));
