import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { App, Testing } from 'cdk8s';
import { DEFAULT_CREDENTIALS_FILE } from '../../src/core/credential-store.js';
import { ObservabilityChart, type ObservabilityChartProps } from '../../src/observability-chart.js';
import { testCredentials } from './credentials.js';

/** A Kubernetes object as synthesized. */
export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: any;
};


/**
 * Synthesizes an ObservabilityChart (setup chart first, then the main chart) and returns every object.
 * Defaults to the `flux` delivery, which needs no helm binary and keeps chart values visible in HelmReleases, and
 * to the {@link testCredentials} store.
 */
export function synthStack(props: ObservabilityChartProps = {}): { chart: ObservabilityChart; objects: K8sObject[] } {
  const app = Testing.app();
  const chart = new ObservabilityChart(app, 'obs', { delivery: 'flux', credentials: testCredentials(), ...props });
  return { chart, objects: allObjects(app) };
}

/**
 * Writes a credentials file (by default the app's `.aiml-observability/credentials.json` in the project `dir`) with
 * what {@link testCredentials} gives the default stack, the precomputed bcrypt hashes included, so a synth that
 * reads it hashes nothing. For tests that are not about generating credentials.
 */
export function writeTestCredentialsFile(dir: string, file = DEFAULT_CREDENTIALS_FILE): void {
  const credentials = testCredentials();
  synthStack({ credentials });
  const path = join(dir, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(credentials.entries(), null, 2)}\n`, { mode: 0o600 });
}

/** Every object of every chart of `app`, in synth order. */
export function allObjects(app: App): K8sObject[] {
  return app.charts.flatMap((c) => c.toJson()) as K8sObject[];
}

/** Objects of a kind (and optionally a name). */
export function ofKind(objects: K8sObject[], kind: string, name?: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
}

/** The one object of a kind and name; fails the test when there is not exactly one. */
export function one(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = ofKind(objects, kind, name);
  if (found.length !== 1) throw new Error(`expected exactly one ${kind}/${name}, found ${found.length}`);
  return found[0]!;
}

/** The values a HelmRelease (flux delivery) carries for a release. */
export function helmReleaseValues(objects: K8sObject[], releaseName: string): Record<string, any> {
  return one(objects, 'HelmRelease', releaseName).spec.values;
}
