/**
 * PrometheusRule objects -> Prometheus rule files (test code). The operator writes each PrometheusRule's
 * `spec` into a rule file unchanged (groups of record/alert rules), so the copy here is the spec itself, with
 * two changes the test makes to its own copy and reports:
 *
 * - `for:` (and `keep_firing_for:`) of every alert is shortened to `forOverride` (e.g. "2s"), so an alert that
 *   waits 30 minutes in production can be seen firing in a test that runs for one; the original durations are
 *   returned in {@link RuleFiles.rewrittenFor}.
 * - a group's `interval` is set to the test's evaluation interval.
 *
 * The expressions are not touched.
 */
import { metricNames } from '../../support/promql.js';
import type { PromAlert } from './prometheus-runner.js';

/** A PrometheusRule as synthesized (plain JSON). */
export interface PrometheusRuleObject {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec: { readonly groups: readonly RuleGroup[] };
}

export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly limit?: number;
  readonly rules: readonly Rule[];
  readonly [key: string]: unknown;
}

export interface Rule {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string | number;
  readonly for?: string;
  readonly keep_firing_for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface RuleFiles {
  /** File name -> rule file content. */
  readonly files: Record<string, { groups: RuleGroup[] }>;
  /** Alert name -> its `for:` as written, for every alert whose `for:` the test shortened. */
  readonly rewrittenFor: Record<string, string>;
  /** Every alert name, sorted. */
  readonly alertNames: string[];
  /** Every recording rule: record name -> expressions (a name may be recorded by several rules). */
  readonly records: Record<string, string[]>;
}

/** Options of {@link ruleFilesOf}. */
export interface RuleFileOptions {
  /** Replace every alert's `for:` (and `keep_firing_for:`) by this duration. @default keep as written */
  readonly forOverride?: string;
  /** Evaluation interval of every group. @default keep as written */
  readonly intervalOverride?: string;
}

const GROUP_FIELDS = new Set(['name', 'interval', 'limit', 'rules', 'partial_response_strategy']);

/** The rule files of a set of PrometheusRules (one file per PrometheusRule, as the operator does). */
export function ruleFilesOf(rules: readonly PrometheusRuleObject[], options: RuleFileOptions = {}): RuleFiles {
  const files: RuleFiles['files'] = {};
  const rewrittenFor: Record<string, string> = {};
  const alertNames = new Set<string>();
  const records: Record<string, string[]> = {};
  for (const pr of rules) {
    const groups = pr.spec.groups.map((group): RuleGroup => {
      for (const key of Object.keys(group)) {
        if (!GROUP_FIELDS.has(key)) throw new Error(`PrometheusRule ${pr.metadata.name} group ${group.name}: field '${key}' is not supported by the installed Prometheus`);
      }
      // partial_response_strategy is a Thanos field the operator drops for Prometheus
      const { partial_response_strategy: _thanos, ...rest } = group as RuleGroup & { partial_response_strategy?: string };
      return {
        ...rest,
        ...(options.intervalOverride ? { interval: options.intervalOverride } : {}),
        rules: group.rules.map((rule): Rule => {
          if (rule.record) (records[rule.record] ??= []).push(String(rule.expr));
          if (!rule.alert) return rule;
          alertNames.add(rule.alert);
          if (!options.forOverride) return rule;
          const copy: { -readonly [K in keyof Rule]: Rule[K] } = { ...rule };
          if (rule.for && rule.for !== '0s') {
            rewrittenFor[rule.alert] = rule.for;
            copy.for = options.forOverride;
          }
          if (rule.keep_firing_for) copy.keep_firing_for = options.forOverride;
          return copy;
        }),
      };
    });
    files[`${pr.metadata.namespace ?? 'default'}-${pr.metadata.name}.rules.yaml`] = { groups };
  }
  return { files, rewrittenFor, alertNames: [...alertNames].sort(), records };
}

/** Names of alerts currently firing. */
export function firingAlertNames(alerts: readonly PromAlert[]): string[] {
  return [...new Set(alerts.filter((a) => a.state === 'firing').map((a) => a.labels.alertname!))].sort();
}

/**
 * The recording rules of some rule files split into backfill passes: pass 0 holds the rules that read only raw
 * series, pass n the rules that read a record of pass n-1 (and none of a later pass). Each pass is a set of rule
 * files (same file and group names, recording rules only, empty groups left out).
 *
 * `promtool tsdb create-blocks-from rules` evaluates every rule against the Prometheus it is pointed at, which
 * does not see the blocks promtool is writing: a rule that reads another record only gets history once that
 * record's history is loaded. Hence one pass per level, each against a Prometheus restarted on the blocks of
 * the passes before. Throws on a cycle.
 */
export function recordingRulePasses(files: RuleFiles['files']): Array<RuleFiles['files']> {
  const definitions = new Map<string, string[]>();
  for (const file of Object.values(files)) {
    for (const group of file.groups) for (const rule of group.rules) if (rule.record) definitions.set(rule.record, [...(definitions.get(rule.record) ?? []), String(rule.expr)]);
  }
  const levels = new Map<string, number>();
  const levelOf = (record: string, path: readonly string[]): number => {
    const known = levels.get(record);
    if (known !== undefined) return known;
    if (path.includes(record)) throw new Error(`recording rules read each other in a cycle: ${[...path, record].join(' -> ')}`);
    const level = Math.max(
      0,
      ...definitions.get(record)!.flatMap((expr) => metricNames(expr).filter((n) => definitions.has(n)).map((n) => levelOf(n, [...path, record]) + 1)),
    );
    levels.set(record, level);
    return level;
  };
  const passes: Array<RuleFiles['files']> = [];
  for (const [name, file] of Object.entries(files)) {
    for (const group of file.groups) {
      for (const rule of group.rules) {
        if (!rule.record) continue;
        const level = levelOf(rule.record, []);
        while (passes.length <= level) passes.push({});
        const pass = passes[level]!;
        const groups = (pass[name] ??= { groups: [] }).groups;
        let copy = groups.find((g) => g.name === group.name);
        if (!copy) groups.push((copy = { ...group, rules: [] }));
        (copy.rules as Rule[]).push(rule);
      }
    }
  }
  return passes;
}
