/**
 * The inference example as a cdk8s app: `npx cdk8s synth -a 'npx tsx examples/inference/main.ts' -o dist/examples/inference`
 * (or `npm run synth:examples` for every example). See docs/examples.md.
 */
import { App } from 'cdk8s';
import { runAsEntryPoint } from '../shared/entry-point.js';
import { InferenceExample } from './inference-example.js';

/** Adds the inference example to `app`. */
export function buildInferenceApp(app: App): InferenceExample {
  return new InferenceExample(app, 'llama-serve');
}

runAsEntryPoint(import.meta.url, buildInferenceApp);
