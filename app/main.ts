/**
 * The app `npx cdk8s synth` runs: reads observability.yaml (or $AIML_OBS_CONFIG), builds the stack, and writes
 * dist/ only once everything has been built and synthesized, so a bad config leaves no partial output.
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { App, YamlOutputType } from 'cdk8s';
import { configErrorFromPropError, loadConfig } from '../src/config/load-config.js';
import { FileCredentialStore } from '../src/core/credential-store.js';
import { PropError } from '../src/core/prop-error.js';
import { synthWarnings } from '../src/core/synth-warnings.js';
import { ObservabilityChart } from '../src/observability-chart.js';
import { writeDirectoryAtomically } from './atomic-output.js';
import { separateRetainedObjects } from './retained-objects.js';

/** Builds the app from the config that applies and synthesizes it into `outdir`, all or nothing. */
export function synthesize(outdir: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string[] {
  const loaded = loadConfig(env, cwd);
  // The app keeps generated passwords in a file (credentials.file), so the next synth reuses them.
  const credentials = new FileCredentialStore({ path: resolve(cwd, loaded.credentialsFile) });
  const target = writeDirectoryAtomically(resolve(cwd, outdir), (staging) => {
    const app = new App({ outdir: staging, outputFileExtension: '.k8s.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
    try {
      new ObservabilityChart(app, 'observability', { ...loaded.props, credentials });
    } catch (error) {
      // A construct names its props; the user wrote config keys.
      throw error instanceof PropError ? configErrorFromPropError(error, loaded) : error;
    }
    app.synth();
    separateRetainedObjects(staging);
    for (const warning of synthWarnings(app)) process.stderr.write(`warning: ${warning}\n`);
  });
  return readdirSync(target, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.k8s.yaml'))
    .sort();
}

const isEntryPoint = process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename ?? '');
if (isEntryPoint) {
  try {
    synthesize(process.env.CDK8S_OUTDIR ?? 'dist');
  } catch (error) {
    process.stderr.write(`synth failed: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
