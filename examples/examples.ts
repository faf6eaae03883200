/**
 * Every example app, by name: the folder it lives in and under `dist/examples/`, and how to build it.
 * @module
 */
import type { App } from 'cdk8s';
import { buildInferenceApp } from './inference/main.js';
import { buildOwnAppExample } from './own-app/main.js';
import { buildTrainingApp } from './training/main.js';

/** Names of the examples (folders under examples/ and dist/examples/). */
export type ExampleName = 'training' | 'inference' | 'own-app';

/** Builders of the example apps, in a fixed order. */
export const EXAMPLES: Readonly<Record<ExampleName, (app: App) => unknown>> = {
  training: buildTrainingApp,
  inference: buildInferenceApp,
  'own-app': buildOwnAppExample,
};

/** Where `npm run synth:examples` writes the manifests, relative to the repository root. */
export const EXAMPLES_OUTDIR = 'dist/examples';
