import { checkProp, numberFrom, numberIn, prometheusDuration } from './value-types.js';
import type { Construct } from 'constructs';
import { PrometheusRule, type PrometheusRuleSpecGroups, PrometheusRuleSpecGroupsRulesExpr } from '../../imports/monitoring.coreos.com.js';
import type { PrometheusTarget } from './prometheus-target.js';
import { clusterScoped } from './cluster-label.js';

/** Alert severities, as Alertmanager routes on them. */
export type Severity = 'critical' | 'warning' | 'info';

/** An alerting rule with runbook-style annotations. */
export interface AlertRuleSpec {
  /** Alert name (CamelCase). */
  readonly alert: string;
  /** PromQL; every series it returns is an alert instance. */
  readonly expr: string;
  /** How long the condition must hold before the alert fires. */
  readonly for?: string;
  /**
   * How long the alert keeps firing after its condition cleared (Prometheus >= 2.42 `keep_firing_for`): for
   * conditions that show only briefly, such as an XID in dcgm-exporter's 5-minute window.
   */
  readonly keepFiringFor?: string;
  readonly severity: Severity;
  /** One line: what is wrong. Go templates ({{ $labels.x }}, {{ $value }}) allowed. */
  readonly summary: string;
  /** Why it matters and what the value means. */
  readonly description: string;
  /** What to do, step by step (rendered as a numbered list in the `runbook` annotation). */
  readonly runbook: readonly string[];
}

/** A recording rule. */
export interface RecordingRuleSpec {
  /** Name of the series it records (see the component's *-records.ts). */
  readonly record: string;
  readonly expr: string;
}

/** A rule group: rules evaluated together, in order, at one interval. */
export interface RuleGroupSpec {
  readonly name: string;
  /** @default Prometheus' global evaluation interval */
  readonly interval?: string;
  readonly rules: readonly (AlertRuleSpec | RecordingRuleSpec)[];
}

/** True for alerting rules. */
export function isAlert(rule: AlertRuleSpec | RecordingRuleSpec): rule is AlertRuleSpec {
  return 'alert' in rule;
}

/** A rule as a Prometheus rule file (and a PrometheusRule's `spec.groups[].rules`) holds it. */
export interface RenderedRule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly keep_firing_for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A rule group as a Prometheus rule file (and a PrometheusRule's `spec.groups`) holds it. */
export interface RenderedGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly RenderedRule[];
}

/**
 * The Prometheus rule-file form of a group (what a PrometheusRule's `spec.groups` holds). Every `by` / `on` list
 * gains the cluster label (cluster-label.ts): the same rule is then right on a leaf, whose series carry no
 * cluster label, and in a central ruler (agent-mode leaves), where every series does.
 */
export function renderGroup(group: RuleGroupSpec): RenderedGroup {
  return {
    name: group.name,
    ...(group.interval ? { interval: group.interval } : {}),
    rules: group.rules.map((rule) =>
      isAlert(rule)
        ? {
            alert: rule.alert,
            expr: clusterScoped(rule.expr),
            ...(rule.for ? { for: rule.for } : {}),
            ...(rule.keepFiringFor ? { keep_firing_for: rule.keepFiringFor } : {}),
            labels: { severity: rule.severity },
            annotations: {
              summary: rule.summary,
              description: rule.description,
              runbook: rule.runbook.map((step, i) => `${i + 1}. ${step}`).join('\n'),
            },
          }
        : { record: rule.record, expr: clusterScoped(rule.expr) },
    ),
  };
}

/** Every alert name of some groups. */
export function alertNames(groups: readonly RuleGroupSpec[]): string[] {
  return groups.flatMap((g) => g.rules.filter(isAlert).map((r) => r.alert));
}

/** Adds a typed PrometheusRule carrying the Prometheus' selector labels. */
export function addPrometheusRule(
  scope: Construct,
  id: string,
  props: { readonly name: string; readonly namespace: string; readonly prometheus: PrometheusTarget; readonly groups: readonly RuleGroupSpec[] },
): void {
  new PrometheusRule(scope, id, {
    metadata: { name: props.name, namespace: props.namespace, labels: { ...props.prometheus.monitorSelectorLabels } },
    spec: { groups: props.groups.map((group) => crdGroup(renderGroup(group))) },
  });
}

/** A rendered group in the PrometheusRule CRD's types (whose `expr` is an int-or-string). */
function crdGroup({ rules, ...group }: RenderedGroup): PrometheusRuleSpecGroups {
  return {
    ...group,
    rules: rules.map(({ expr, labels, annotations, keep_firing_for, ...rule }) => ({
      ...rule,
      ...(keep_firing_for ? { keepFiringFor: keep_firing_for } : {}),
      expr: PrometheusRuleSpecGroupsRulesExpr.fromString(expr),
      ...(labels ? { labels: { ...labels } } : {}),
      ...(annotations ? { annotations: { ...annotations } } : {}),
    })),
  };
}

/** Formats a number for PromQL without exponent notation surprises. */
export function num(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  return String(value);
}

/** Checks that a threshold is a finite number within bounds; a PropError names the prop. */
export function checkThreshold(prop: string, value: number, min: number, max = Number.POSITIVE_INFINITY): number {
  return checkProp(Number.isFinite(max) ? numberIn(min, max) : numberFrom(min), value, prop);
}

/** Checks a Prometheus duration such as 30m; a PropError names the prop. */
export function checkDuration(prop: string, value: string): string {
  return checkProp(prometheusDuration, value, prop);
}
