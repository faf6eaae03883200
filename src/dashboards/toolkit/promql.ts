/**
 * Small helpers that write PromQL from label and metric constants, so dashboard definitions never re-type a name.
 * @module
 */
import { KSM_LABELS, KSM_METRICS } from '../../prometheus/kube-metrics.js';
import { TARGET_LABELS } from '../../core/metric-names.js';

/** `$name`: a Grafana template variable reference. */
export function v(name: string): string {
  return `$${name}`;
}

/** `label="value"`. */
export function eq(label: string, value: string): string {
  return `${label}=${JSON.stringify(value)}`;
}

/** `label=~"regex"`. */
export function re(label: string, regex: string): string {
  return `${label}=~${JSON.stringify(regex)}`;
}

/** `metric{m1, m2}` (or just `metric` without matchers). */
export function sel(metric: string, ...matchers: string[]): string {
  return matchers.length === 0 ? metric : `${metric}{${matchers.join(', ')}}`;
}

/** `by (a, b)`. */
export function by(...labels: string[]): string {
  return `by (${labels.join(', ')})`;
}

/**
 * Attaches the Kubernetes `node` label to series of a node-level exporter scraped through a Service
 * (node-exporter): its `namespace`/`pod` target labels name the exporter pod, which kube-state-metrics'
 * `kube_pod_info` places on a node. Only series of nodes matching `nodeRegex` remain.
 */
export function onNode(expr: string, nodeRegex: string): string {
  const { NAMESPACE, POD, NODE } = KSM_LABELS;
  return `${expr} * on (${NAMESPACE}, ${POD}) group_left (${NODE}) max ${by(NAMESPACE, POD, NODE)} (${sel(KSM_METRICS.POD_INFO, re(NODE, nodeRegex))})`;
}

/** The label our scrape configuration adds for the node a GPU/Ray series comes from. */
export const NODE_LABEL = TARGET_LABELS.NODE;
