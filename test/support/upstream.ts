/**
 * The upstream facts the tests read, from `test/upstream/` (written by `scripts/upstream-data.ts` from the
 * pinned sources; each file names its upstream source and version in `$source` or a `#` header).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UPSTREAM_CHARTS, type UpstreamChartName } from '../../src/core/upstream-chart.js';
import type { JsonObject } from '../../src/core/deep-merge.js';

/** The folder of generated upstream data. */
export const UPSTREAM_DIR = join(import.meta.dirname, '..', 'upstream');

/** Where a generated file was made from (its `$source` member). */
export interface UpstreamSource {
  readonly upstream: string;
  readonly version: string;
  /** `shared/<path>` -> sha256 of the file it was made from. */
  readonly from: Readonly<Record<string, string>>;
  readonly kept: string;
}

/** A CustomResourceDefinition as kept in test/upstream/crds (schemas only for the kinds we emit). */
export interface UpstreamCrd {
  readonly apiVersion: string;
  readonly kind: 'CustomResourceDefinition';
  readonly metadata: { readonly name: string };
  readonly spec: {
    readonly group: string;
    readonly scope: 'Namespaced' | 'Cluster';
    readonly names: { readonly kind: string; readonly plural: string };
    readonly versions: readonly { readonly name: string; readonly schema?: { readonly openAPIV3Schema: JsonObject } }[];
  };
}

const cache = new Map<string, unknown>();

/** A generated JSON file of test/upstream, parsed once per test worker. */
export function upstreamJson<T>(file: string): T & { readonly $source: UpstreamSource } {
  if (!cache.has(file)) cache.set(file, JSON.parse(readFileSync(join(UPSTREAM_DIR, file), 'utf8')));
  return cache.get(file) as T & { readonly $source: UpstreamSource };
}

/** The Kubernetes 1.30 definitions of the kinds we emit and everything they refer to. */
export function kubernetesDefinitions(): Readonly<Record<string, JsonObject>> {
  return upstreamJson<{ definitions: Record<string, JsonObject> }>('kubernetes-1.30.0.json').definitions;
}

/** The generated CRD files, one per pinned operator (`crds/<operator>-<version>.json`). */
export function upstreamCrdFiles(): string[] {
  return readdirSync(join(UPSTREAM_DIR, 'crds')).filter((f) => f.endsWith('.json')).sort().map((f) => `crds/${f}`);
}

/** Every CRD of the pinned operators. */
export function upstreamCrds(): UpstreamCrd[] {
  return upstreamCrdFiles().flatMap((file) => upstreamJson<{ crds: UpstreamCrd[] }>(file).crds);
}

/** The chart's default values (its values.yaml, comments left out); a copy the caller may change. */
export function defaultValues(chart: UpstreamChartName): JsonObject {
  const { version } = UPSTREAM_CHARTS[chart];
  if (chart === 'thanos') {
    // Not in ../shared: made by scripts/thanos-upstream-data.ts from the chart's repository.
    const file = join(import.meta.dirname, '..', 'thanos', 'data', `thanos-${version}.values.json`);
    return structuredClone((JSON.parse(readFileSync(file, 'utf8')) as { values: JsonObject }).values);
  }
  return structuredClone(upstreamJson<{ values: JsonObject }>(`helm-values/${chart}-${version}.json`).values);
}

/** Text of a generated file of test/upstream/metrics (e.g. a dcgm-exporter CSV). */
export function upstreamMetricsText(file: string): string {
  return readFileSync(join(UPSTREAM_DIR, 'metrics', file), 'utf8');
}
