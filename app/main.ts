/**
 * The app `npx cdk8s synth` runs: reads observability.yaml (or $AIML_OBS_CONFIG), builds the stack, and writes
 * dist/ only once everything has been built and synthesized, so a bad config leaves no partial output.
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { App, YamlOutputType } from 'cdk8s';
import { configToProps, loadConfig } from '../src/config/load-config.js';
import { ObservabilityChart } from '../src/observability-chart.js';
import { writeDirectoryAtomically } from './atomic-output.js';

/** Builds the app from the config that applies and synthesizes it into `outdir`, all or nothing. */
export function synthesize(outdir: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string[] {
  const { config } = loadConfig(env, cwd);
  const target = writeDirectoryAtomically(resolve(cwd, outdir), (staging) => {
    const app = new App({ outdir: staging, outputFileExtension: '.k8s.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
    new ObservabilityChart(app, 'observability', configToProps(config, cwd));
    app.synth();
  });
  return readdirSync(target).sort();
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
