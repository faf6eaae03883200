/**
 * The training example as a cdk8s app: `npx cdk8s synth -a 'npx tsx examples/training/main.ts' -o dist/examples/training`
 * (or `npm run synth:examples` for every example). See docs/examples.md.
 */
import { App } from 'cdk8s';
import { runAsEntryPoint } from '../shared/entry-point.js';
import { TrainingExample } from './training-example.js';

/** Adds the training example to `app`. */
export function buildTrainingApp(app: App): TrainingExample {
  return new TrainingExample(app, 'llama-finetune');
}

runAsEntryPoint(import.meta.url, buildTrainingApp);
