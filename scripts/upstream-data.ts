/**
 * Writes `test/upstream/`: the upstream facts the tests read (operator CRD schemas, the Kubernetes 1.30 API schema of
 * the kinds we emit, the pinned charts' default values, the metric catalog and the dcgm-exporter CSVs), so a clone
 * of this repository runs its tests without `../shared` beside it.
 *
 *   npm run upstream:data               # reads ../shared (or $SHARED_DIR), rewrites test/upstream/
 *   npm run upstream:data -- --check    # rewrites nothing; exits 1 when test/upstream/ differs from what it would write
 *
 * Every file written names its upstream source and version and the sha256 of the `shared/` file(s) it was made from
 * (in a `$source` member, or `#` header lines for CSV). What is left out: prose (descriptions, comments), CRD parts
 * that are not the schema (printer columns, subresources), the schemas of CRD kinds and Kubernetes kinds we do not
 * emit. Emitting a new kind means adding it below and running this script; until then the strict validator reports
 * "no schema known" for it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { UPSTREAM_CHARTS } from '../src/core/upstream-chart.js';

const REPO = resolve(import.meta.dirname, '..');
const SHARED = resolve(process.env.SHARED_DIR ?? join(REPO, '..', 'shared'));
const OUT = join(REPO, 'test', 'upstream');
const GENERATED_BY = 'scripts/upstream-data.ts (npm run upstream:data)';

/** Kubernetes 1.30 kinds the library, its examples and the tests' stand-ins emit; their definitions and every definition they refer to are kept. */
const KUBERNETES_KINDS = [
  'Namespace', 'ConfigMap', 'Secret', 'Service', 'ServiceAccount', 'Deployment', 'DaemonSet', 'NetworkPolicy',
  'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'Job', 'CronJob',
];

/** The pinned operators' CRDs (folders of shared/crds), the project each comes from, and the kinds whose schema we keep. */
const CRD_SOURCES: readonly { readonly dir: string; readonly upstream: string; readonly kinds: readonly string[] }[] = [
  { dir: 'prometheus-operator-v0.93.1', upstream: 'prometheus-operator/prometheus-operator', kinds: ['ServiceMonitor', 'PodMonitor', 'PrometheusRule'] },
  { dir: 'flux-helm-controller-1.6.3', upstream: 'fluxcd/helm-controller', kinds: ['HelmRelease'] },
  { dir: 'flux-source-controller-1.9.1', upstream: 'fluxcd/source-controller', kinds: ['HelmRepository'] },
  { dir: 'argo-cd-3.5.1', upstream: 'argoproj/argo-cd', kinds: ['Application'] },
  {
    dir: 'opensearch-operator-2.8.0', upstream: 'opensearch-project/opensearch-k8s-operator',
    kinds: ['OpenSearchCluster', 'OpenSearchISMPolicy', 'OpensearchIndexTemplate', 'OpensearchRole', 'OpensearchSnapshotPolicy', 'OpensearchUser', 'OpensearchUserRoleBinding'],
  },
  { dir: 'fluent-operator-4.3.0', upstream: 'fluent/fluent-operator', kinds: ['FluentBit', 'ClusterFluentBitConfig', 'ClusterInput', 'ClusterFilter', 'ClusterOutput', 'ClusterParser'] },
  { dir: 'kuberay-1.7.0', upstream: 'ray-project/kuberay', kinds: ['RayJob', 'RayService'] },
  { dir: 'cert-manager-v1.21.1', upstream: 'cert-manager/cert-manager', kinds: ['Certificate'] },
];

/** Where each dcgm-exporter CSV comes from in the dcgm-exporter repository. */
const DCGM_CSVS = {
  'dcgm-exporter-4.8.2.default-counters.csv': 'NVIDIA/dcgm-exporter 4.8.2, etc/default-counters.csv',
  'dcgm-exporter-4.8.2.dcp-metrics-included.csv': 'NVIDIA/dcgm-exporter 4.8.2, etc/dcp-metrics-included.csv',
} as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonMap = { [key: string]: Json };

/** What a generated file was made from: shown in its `$source` member. */
interface Source {
  readonly upstream: string;
  readonly version: string;
  readonly from: Record<string, string>;
  readonly kept: string;
}

const sharedText = (path: string) => readFileSync(join(SHARED, path), 'utf8');
const sha256 = (path: string) => createHash('sha256').update(readFileSync(join(SHARED, path))).digest('hex');
const fromFiles = (paths: readonly string[]) => Object.fromEntries(paths.map((p) => [`shared/${p}`, sha256(p)]));
/** The version at the end of a shared/ folder or file name: `kuberay-1.7.0` -> `1.7.0`, `...-v0.93.1` -> `v0.93.1`. */
const versionOf = (name: string) => /-(v?\d+\.\d+\.\d+)$/.exec(name)?.[1] ?? fail(`no version in ${name}`);

function fail(message: string): never {
  throw new Error(`upstream-data: ${message}`);
}

/** A schema without its prose: `description` members go, property names called "description" stay. */
function withoutDescriptions(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(withoutDescriptions);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: JsonMap = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description') continue;
    const isNameMap = (key === 'properties' || key === 'definitions' || key === 'patternProperties') && value !== null && typeof value === 'object' && !Array.isArray(value);
    out[key] = isNameMap ? Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, withoutDescriptions(sub)])) : withoutDescriptions(value);
  }
  return out;
}

/**
 * A JSON document with one line per member of `listKey` (a definition, a CRD, a chart's top-level value), so a
 * regenerated file diffs by entry.
 */
function entryPerLine(doc: { readonly $source: Source; readonly [key: string]: unknown }, listKey: string): string {
  const lines = Object.entries(doc).map(([key, value]) => {
    if (key !== listKey) return `${JSON.stringify(key)}: ${JSON.stringify(value)}`;
    const entries = Array.isArray(value)
      ? value.map((v) => JSON.stringify(v))
      : Object.entries(value as Record<string, unknown>).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`);
    return `${JSON.stringify(key)}: ${Array.isArray(value) ? '[' : '{'}\n${entries.join(',\n')}\n${Array.isArray(value) ? ']' : '}'}`;
  });
  return `{\n${lines.join(',\n')}\n}\n`;
}

function kubernetes(): [string, string] {
  const file = 'k8s-schemas/v1.30.0-definitions.json';
  const version = /v(\d+\.\d+\.\d+)-definitions/.exec(file)![1]!;
  const all = (JSON.parse(sharedText(file)) as { definitions: Record<string, JsonMap> }).definitions;
  const roots = Object.entries(all)
    .filter(([, def]) => ((def['x-kubernetes-group-version-kind'] ?? []) as JsonMap[]).some((gvk) => KUBERNETES_KINDS.includes(gvk.kind as string)))
    .map(([name]) => name);
  const kept = new Set<string>();
  const visit = (name: string) => {
    if (kept.has(name)) return;
    if (!all[name]) fail(`${file}: no definition ${name}`);
    kept.add(name);
    JSON.stringify(all[name], (key, value: unknown) => {
      if (key === '$ref' && typeof value === 'string') visit(value.replace('#/definitions/', ''));
      return value;
    });
  };
  roots.forEach(visit);
  const missing = KUBERNETES_KINDS.filter((kind) => !roots.some((name) => name.endsWith(`.${kind}`)));
  if (missing.length) fail(`${file}: no definition for ${missing.join(', ')}`);
  const definitions = Object.fromEntries([...kept].sort().map((name) => [name, withoutDescriptions(all[name]!)]));
  const $source: Source = {
    upstream: 'Kubernetes OpenAPI v2 definitions (kubernetes/kubernetes, api/openapi-spec)',
    version,
    from: fromFiles([file]),
    kept: `the definitions of ${KUBERNETES_KINDS.join(', ')} and every definition they refer to; descriptions removed`,
  };
  return [`kubernetes-${version}.json`, entryPerLine({ $source, definitions }, 'definitions')];
}

interface Crd {
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly spec: {
    readonly group: string;
    readonly scope: string;
    readonly names: { readonly kind: string; readonly plural: string };
    readonly versions: readonly { readonly name: string; readonly served: boolean; readonly storage: boolean; readonly schema?: { readonly openAPIV3Schema: Json } }[];
  };
}

function crds(source: (typeof CRD_SOURCES)[number]): [string, string] {
  const files = readdirSync(join(SHARED, 'crds', source.dir)).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => `crds/${source.dir}/${f}`);
  const all = files.flatMap((file) =>
    parseAllDocuments(sharedText(file)).map((d) => d.toJS() as Crd | null).filter((d): d is Crd => d?.kind === 'CustomResourceDefinition'),
  );
  const missing = source.kinds.filter((kind) => !all.some((crd) => crd.spec.names.kind === kind));
  if (missing.length) fail(`shared/crds/${source.dir}: no CRD for ${missing.join(', ')}`);
  const entry = (crd: Crd): JsonMap => {
    const withSchema = source.kinds.includes(crd.spec.names.kind);
    return {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: crd.metadata.name },
      spec: {
        group: crd.spec.group,
        names: { kind: crd.spec.names.kind, plural: crd.spec.names.plural },
        scope: crd.spec.scope,
        versions: crd.spec.versions.map((v) => ({
          name: v.name,
          served: v.served,
          storage: v.storage,
          ...(withSchema && v.schema ? { schema: { openAPIV3Schema: withoutDescriptions(v.schema.openAPIV3Schema) } } : {}),
        })),
      },
    };
  };
  const $source: Source = {
    upstream: source.upstream,
    version: versionOf(source.dir),
    from: fromFiles(files),
    kept: `every CRD's group, names, scope and versions; the openAPIV3Schema (descriptions removed) of ${source.kinds.length ? source.kinds.join(', ') : 'none'}`,
  };
  const sorted = all.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  return [`crds/${source.dir}.json`, entryPerLine({ $source, crds: sorted.map(entry) }, 'crds')];
}

/** Pinned charts whose values.yaml ../shared does not have; each has its own data script (named here). */
const CHARTS_NOT_IN_SHARED: Readonly<Record<string, string>> = { thanos: 'scripts/thanos-upstream-data.ts -> test/thanos/data/' };

function helmValues(): [string, string][] {
  return Object.values(UPSTREAM_CHARTS).filter((chart) => !(chart.chart in CHARTS_NOT_IN_SHARED)).map((chart) => {
    const file = `helm-values/${chart.chart}-${chart.version}.values.yaml`;
    const values = (parse(sharedText(file)) ?? {}) as JsonMap;
    const $source: Source = {
      upstream: `Helm chart ${chart.chart} (${chart.repoUrl}), values.yaml`,
      version: chart.version,
      from: fromFiles([file]),
      kept: 'the default values; comments removed',
    };
    return [`helm-values/${chart.chart}-${chart.version}.json`, entryPerLine({ $source, values }, 'values')] as [string, string];
  });
}

/** The file of src/ this script writes besides test/upstream/: the pinned charts' value keys, which the library checks pass-through values against. */
const CHART_KEYS_FILE = 'src/core/upstream-chart-keys.ts';

/**
 * Keys below which a chart takes anything, though its values.yaml lists some keys there: subcharts (the parent's
 * values.yaml shows a few of the subchart's keys; Chart.yaml of kube-prometheus-stack 88.5.3 depends on grafana,
 * kube-state-metrics, prometheus-node-exporter, prometheus-windows-exporter), `global` (handed to every subchart),
 * and maps the chart documents as free-form (Alertmanager's own configuration file; OpenCost's price table).
 */
const FREE_FORM_KEYS: Readonly<Record<string, readonly string[]>> = {
  'kube-prometheus-stack': ['global', 'grafana', 'kube-state-metrics', 'prometheus-node-exporter', 'prometheus-windows-exporter', 'alertmanager.config', 'alertmanager.tplConfig'],
  opencost: ['opencost.customPricing.costModel'],
};

/**
 * Key names whose value is a Kubernetes structure or a user's map, taken whole by the chart's templates (toYaml),
 * wherever they appear: a label or annotation map, a selector, resources, a security context, affinity, env.
 */
const FREE_FORM_NAME = /(labels|annotations|selector|resources|securitycontext|affinity|^env|^extraenv|tlsconfig|^config)$/i;

/** A chart's keys as a tree: a mapping of known keys, `0` for a key whose value is not a mapping, `{}` for a mapping that takes any key. */
type KeyTree = { [key: string]: KeyTree | 0 };

function keyTree(values: Json, path: string, freeForm: readonly string[]): KeyTree | 0 {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) return 0;
  const tree: KeyTree = {};
  for (const [key, value] of Object.entries(values)) {
    const at = path ? `${path}.${key}` : key;
    const open = freeForm.includes(at) || FREE_FORM_NAME.test(key);
    tree[key] = open && value !== null && typeof value === 'object' && !Array.isArray(value) ? {} : keyTree(value, at, freeForm);
  }
  return tree;
}

function chartKeys(): [string, string] {
  const charts = Object.entries(UPSTREAM_CHARTS).map(([name, chart]) => {
    const ownScript = CHARTS_NOT_IN_SHARED[chart.chart];
    if (ownScript) {
      // Written by the chart's own data script, which names its source (tag, commit, sha256) in `$source`.
      const file = `${ownScript.split('-> ')[1]}${chart.chart}-${chart.version}.values.json`;
      const data = JSON.parse(readFileSync(join(REPO, file), 'utf8')) as { $source: { from: { tag: string; commit: string } }; values: Json };
      const header = ` * - ${name} ${chart.version}: ${chart.repoUrl}, values.yaml (${file}: tag ${data.$source.from.tag}, commit ${data.$source.from.commit})`;
      return { name, header, tree: keyTree(data.values, '', FREE_FORM_KEYS[name] ?? []) };
    }
    const file = `helm-values/${chart.chart}-${chart.version}.values.yaml`;
    const values = (parse(sharedText(file)) ?? {}) as Json;
    const header = ` * - ${name} ${chart.version}: ${chart.repoUrl}, values.yaml (shared/${file}, sha256 ${sha256(file)})`;
    return { name, header, tree: keyTree(values, '', FREE_FORM_KEYS[name] ?? []) };
  });
  const text = [
    '/**',
    ` * Generated by ${GENERATED_BY}; do not edit. The keys of each pinned chart's values.yaml, as a tree: a mapping of`,
    ' * the keys the chart knows there, `0` for a key whose default is not a mapping (any value), `{}` for a mapping that',
    ' * takes any key (default `{}`, a subchart, or documented as free-form). Pass-through values are checked against it.',
    ...charts.map((c) => c.header),
    ' */',
    "import type { UpstreamChartName } from './upstream-chart.js';",
    '',
    '/** A chart\'s keys: see the file comment. */',
    'export type ChartKeyTree = { readonly [key: string]: ChartKeyTree | 0 };',
    '',
    '/** The keys of each pinned chart\'s values. */',
    'export const UPSTREAM_CHART_KEYS: Readonly<Record<UpstreamChartName, ChartKeyTree>> = {',
    ...charts.map((c) => `  ${JSON.stringify(c.name)}: ${JSON.stringify(c.tree)},`),
    '};',
    '',
  ].join('\n');
  return [CHART_KEYS_FILE, text];
}

function metricCatalog(): [string, string] {
  const file = 'metrics/catalog.yaml';
  const catalog = parse(sharedText(file)) as { exporters: Json[] };
  const $source: Source = {
    upstream: 'the project\'s metric catalog (each exporter entry names its own sources and version)',
    version: 'see each exporter\'s version',
    from: fromFiles([file]),
    kept: 'the data; comments removed',
  };
  return ['metrics/catalog.json', entryPerLine({ $source, exporters: catalog.exporters }, 'exporters')];
}

/** The CSV rows (field, type, help; commented-out rows stay commented: they are fields one can switch on). */
function dcgmCsv(file: keyof typeof DCGM_CSVS): [string, string] {
  const path = `metrics/${file}`;
  const rows = sharedText(path).split('\n').flatMap((raw) => {
    const commented = raw.trimStart().startsWith('#');
    const match = /^\s*(DCGM_[A-Z0-9_]+)\s*,\s*([a-z]+)\s*,\s*(.*)$/.exec(commented ? raw.trimStart().slice(1) : raw);
    return match ? [`${commented ? '# ' : ''}${match[1]}, ${match[2]}, ${match[3]!.trim()}`] : [];
  });
  const header = [
    `# Generated by ${GENERATED_BY}; do not edit.`,
    `# upstream: ${DCGM_CSVS[file]}`,
    `# from: shared/${path} (sha256 ${sha256(path)})`,
    '# kept: the field rows (DCGM field, Prometheus type, help); a row commented out is a field the exporter does not collect by default',
  ];
  return [`metrics/${file}`, `${[...header, ...rows].join('\n')}\n`];
}

function generate(): Map<string, string> {
  if (!existsSync(SHARED)) fail(`${SHARED} does not exist (set SHARED_DIR to the shared/ folder)`);
  const sharedCrdDirs = readdirSync(join(SHARED, 'crds')).sort();
  const unlisted = sharedCrdDirs.filter((dir) => !CRD_SOURCES.some((s) => s.dir === dir));
  if (unlisted.length) fail(`shared/crds/${unlisted.join(', ')}: add to CRD_SOURCES (with its upstream project)`);
  return new Map([
    kubernetes(),
    ...CRD_SOURCES.map(crds),
    ...helmValues(),
    metricCatalog(),
    ...(Object.keys(DCGM_CSVS) as (keyof typeof DCGM_CSVS)[]).map(dcgmCsv),
  ]);
}

/** Generated files under OUT (README.md is written by hand). */
function existing(dir = OUT): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? existing(join(dir, e.name)) : e.name === 'README.md' ? [] : [relative(OUT, join(dir, e.name))],
  );
}

const files = generate();
const [keysFile, keysText] = chartKeys();
if (process.argv.includes('--check')) {
  if (!existsSync(join(REPO, keysFile)) || readFileSync(join(REPO, keysFile), 'utf8') !== keysText) {
    console.error(`${keysFile}: differs from what ${GENERATED_BY} makes of ${relative(REPO, SHARED)}`);
    process.exit(1);
  }
  const stale = [...files].filter(([name, text]) => !existsSync(join(OUT, name)) || readFileSync(join(OUT, name), 'utf8') !== text).map(([n]) => n);
  const extra = existing().filter((name) => !files.has(name));
  for (const name of stale) console.error(`test/upstream/${name}: differs from what ${GENERATED_BY} makes of ${relative(REPO, SHARED)}`);
  for (const name of extra) console.error(`test/upstream/${name}: not made by ${GENERATED_BY}`);
  if (stale.length || extra.length) process.exit(1);
  console.log(`test/upstream: ${files.size} files, as ${GENERATED_BY} makes them from ${relative(REPO, SHARED)}`);
} else {
  for (const name of existing()) if (!files.has(name)) rmSync(join(OUT, name));
  for (const [name, text] of files) {
    mkdirSync(dirname(join(OUT, name)), { recursive: true });
    writeFileSync(join(OUT, name), text);
  }
  writeFileSync(join(REPO, keysFile), keysText);
  console.log(`test/upstream: wrote ${files.size} files from ${relative(REPO, SHARED)}; and ${keysFile}`);
}
