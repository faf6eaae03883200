import { TARGET_LABELS } from './metric-names.js';

/** The relabel actions this library writes, and each one's member name in the imported CRDs' action enums. */
const ACTION_MEMBERS = { replace: 'REPLACE', keep: 'KEEP', drop: 'DROP', labeldrop: 'LABELDROP' } as const;

/** A relabel action this library writes. */
export type RelabelAction = keyof typeof ACTION_MEMBERS;

/** A Prometheus relabeling step (`relabel_config`), for a monitor's `relabelings` or `metricRelabelings`. */
export interface RelabelConfig {
  readonly action: RelabelAction;
  readonly sourceLabels?: readonly string[];
  readonly separator?: string;
  readonly regex?: string;
  readonly targetLabel?: string;
  readonly replacement?: string;
}

/**
 * The action enum of one relabeling field of the imported CRDs (e.g. `ServiceMonitorSpecEndpointsRelabelingsAction`).
 * cdk8s import writes one enum per field, each with the same members; `A` is that enum.
 */
export type RelabelActionEnum<A> = Readonly<Record<(typeof ACTION_MEMBERS)[RelabelAction], A>>;

/** One relabeling as a field of the imported CRDs holds it, its action a member of that field's enum `A`. */
export interface TypedRelabeling<A> {
  readonly action?: A;
  readonly sourceLabels?: string[];
  readonly separator?: string;
  readonly regex?: string;
  readonly targetLabel?: string;
  readonly replacement?: string;
}

/** `configs` for the relabeling field whose action enum is `actions`. */
export function relabelingsFor<A>(actions: RelabelActionEnum<A>, configs: readonly RelabelConfig[]): TypedRelabeling<A>[] {
  return configs.map(({ action, sourceLabels, ...rest }) => ({
    action: actions[ACTION_MEMBERS[action]],
    ...(sourceLabels ? { sourceLabels: [...sourceLabels] } : {}),
    ...rest,
  }));
}

/** The Prometheus meta label carrying a pod label's value (`ray.io/cluster` -> `__meta_kubernetes_pod_label_ray_io_cluster`). */
export function podLabelMeta(podLabel: string): string {
  return `__meta_kubernetes_pod_label_${podLabel.replace(/[^a-zA-Z0-9_]/g, '_')}`;
}

/** Target relabeling that sets the `node` label to the node the scraped pod runs on. */
export function nodeNameRelabeling(): RelabelConfig {
  return { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: TARGET_LABELS.NODE };
}

/** Target relabeling that copies a pod label into a Prometheus label. */
export function podLabelRelabeling(podLabel: string, targetLabel: string): RelabelConfig {
  return { action: 'replace', sourceLabels: [podLabelMeta(podLabel)], targetLabel };
}

/** Escapes a literal for a Prometheus (RE2, fully anchored) regex. */
export function escapeRegex(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Metric relabeling that keeps only the named metrics (drops every other series at scrape time). */
export function keepOnlyMetrics(names: readonly string[]): RelabelConfig {
  const sorted = [...new Set(names)].sort();
  return { action: 'keep', sourceLabels: ['__name__'], regex: sorted.map(escapeRegex).join('|') };
}
