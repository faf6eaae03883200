import type { IRelabelConfig as RelabelConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/RelabelConfig';
import { TARGET_LABELS } from './metric-names.js';

export type { RelabelConfig };

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
