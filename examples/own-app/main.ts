/**
 * The "your own app" example as a cdk8s app: `npx cdk8s synth -a 'npx tsx examples/own-app/main.ts' -o dist/examples/own-app`
 * (or `npm run synth:examples`). Generated passwords are kept in .aiml-observability/credentials.json (git-ignored).
 */
import type { App } from 'cdk8s';
import { runAsEntryPoint } from '../shared/entry-point.js';
import { buildOwnApp } from './own-app.js';

/** Adds the own-app example to `app`. */
export function buildOwnAppExample(app: App): void {
  buildOwnApp(app);
}

runAsEntryPoint(import.meta.url, buildOwnAppExample);
