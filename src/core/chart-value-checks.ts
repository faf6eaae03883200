/**
 * Pass-through values (`chartValues`, the config's `charts.values`) checked against the pinned chart's own keys
 * (src/core/upstream-chart-keys.ts, generated from each chart's values.yaml): a key the chart does not have where it
 * lists its keys is a typo Helm would ignore silently (`prometheusSpec.retension`), and a credential written as a
 * literal would land in dist/ in plain text inside a HelmRelease, an Application or a rendered manifest.
 */
import { isPlainObject } from './deep-merge.js';
import { type MessagePart, type PropIssue, type PropPath } from './prop-error.js';
import { type ChartKeyTree, UPSTREAM_CHART_KEYS } from './upstream-chart-keys.js';
import { UPSTREAM_CHARTS, type UpstreamChartName } from './upstream-chart.js';

/**
 * Key names that hold a credential when their value is a literal string (`adminPassword`, `httpPassword`,
 * `bearerToken`, `apiKey`, `clientSecret`, `secretAccessKey`). Names of Secrets and of keys in a Secret
 * (`existingSecret`, `caCertsSecret`, `secretKey`, `passwordKey`) hold a reference to a credential, and are not matched.
 */
const CREDENTIAL_NAME = /(password|passwd|token|apikey|api_key|clientsecret|secretaccesskey|privatekey)$/i;
const REFERENCE_NAME = /^existing/i;

/**
 * Where a chart's credential is kept in a Secret instead: the library's option for it (a prop path of
 * ObservabilityChartProps), by chart and value path.
 */
const CREDENTIAL_OPTIONS: Partial<Record<UpstreamChartName, Readonly<Record<string, readonly PropPath[]>>>> = {
  'kube-prometheus-stack': {
    'grafana.adminPassword': [
      ['prometheusStack', 'grafana', 'adminPassword'],
      ['prometheusStack', 'grafana', 'existingSecret'],
    ],
    'grafana.admin.password': [['prometheusStack', 'grafana', 'existingSecret']],
  },
};

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The known key closest to `key`, when it is close enough to be a typo of it. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const scored = known.map((k) => [k, distance(key.toLowerCase(), k.toLowerCase())] as const).sort((x, y) => x[1] - y[1]);
  return scored[0] && scored[0][1] <= Math.max(2, Math.floor(key.length / 3)) ? scored[0][0] : undefined;
}

/** Problems listed per chart; past these, a count. */
const MAX_ISSUES = 20;

function keyList(known: readonly string[]): string {
  const shown = known.slice(0, 12).join(', ');
  return known.length > 12 ? `its keys here include ${shown} and ${known.length - 12} more (see the chart's values.yaml)` : `its keys here: ${shown}`;
}

/**
 * Every problem with the pass-through values of `chart`, each with its path below `at` (e.g.
 * `['chartValues', 'kube-prometheus-stack']`): keys the chart does not have, and credentials given as literals.
 */
export function chartValueIssues(chart: UpstreamChartName, values: unknown, at: PropPath): PropIssue[] {
  const pinned = `${chart} ${UPSTREAM_CHARTS[chart].version}`;
  const issues: PropIssue[] = [];
  let more = 0;
  // Past MAX_ISSUES, problems are only counted (their messages cost a did-you-mean each).
  const report = (issue: () => PropIssue) => (issues.length < MAX_ISSUES ? issues.push(issue()) : more++);
  const walk = (value: unknown, tree: ChartKeyTree | 0, path: string[]) => {
    if (!isPlainObject(value)) return;
    const known = tree === 0 ? [] : Object.keys(tree);
    for (const [key, child] of Object.entries(value)) {
      const here = [...path, key];
      if (CREDENTIAL_NAME.test(key) && !REFERENCE_NAME.test(key) && typeof child === 'string' && child !== '') {
        const options = CREDENTIAL_OPTIONS[chart]?.[here.join('.')];
        const instead: MessagePart[] = options
          ? ['set ', ...options.flatMap((prop, i) => (i === 0 ? [{ prop }] : [' or ', { prop }])), ' instead (kept in a Secret)']
          : ["give the chart a Secret instead (its existingSecret-style key, see the chart's values.yaml)"];
        report(() => ({
          path: [...at, ...here],
          message: ['is a credential written as a literal: it would be written to dist/ in plain text in the chart\'s values; ', ...instead],
        }));
        continue;
      }
      // A key the chart lists keys for, and this one is not among them (an empty mapping takes any key).
      if (tree !== 0 && known.length > 0 && !(key in tree)) {
        report(() => {
          const suggestion = closestKey(key, known);
          return {
            path: [...at, ...here],
            message: [`is not a value of the ${pinned} chart${suggestion ? ` (did you mean '${suggestion}'?)` : `; ${keyList(known)}`}`],
          };
        });
        continue;
      }
      walk(child, tree === 0 ? 0 : (tree[key] ?? 0), here);
    }
  };
  const keys = UPSTREAM_CHART_KEYS[chart] as ChartKeyTree | undefined;
  if (keys) walk(values, keys, []);
  if (more === 0) return issues;
  return [...issues, { path: at, message: [`has ${more} more problem${more === 1 ? '' : 's'} like the ones above`] }];
}
