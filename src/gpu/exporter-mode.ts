import type { k8s } from 'cdk8s-plus-30';

/**
 * How a GPU exporter gets into the cluster:
 * - `deploy`: this library runs it (a DaemonSet on the accelerator nodes) and scrapes it;
 * - `existing`: something else already runs it (e.g. the NVIDIA GPU operator); this library only points a
 *   ServiceMonitor / PodMonitor at it.
 */
export type ExporterMode = (typeof EXPORTER_MODES)[number];

/** The allowed {@link ExporterMode}s, for validation and messages. */
export const EXPORTER_MODES = ['deploy', 'existing'] as const;

/** The mode of an exporter unless told otherwise. */
export const DEFAULT_EXPORTER_MODE: ExporterMode = 'deploy';

/** Where an exporter that already runs can be found, for a monitor to select it. */
export interface ExistingExporter {
  /** Namespace the exporter runs in. */
  readonly namespace: string;
  /** Labels of its Service (ServiceMonitor) or pods (PodMonitor). */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** Name of the metrics port (Service port name, or container port name). */
  readonly portName?: string;
  /** Number of the metrics container port, when it has no name (PodMonitor only). */
  readonly portNumber?: number;
}

/** Node affinity that requires one of `terms` (terms are ORed, the expressions of a term ANDed). */
export function requiredNodeAffinity(terms: readonly k8s.NodeSelectorTerm[]): Record<string, unknown> {
  return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms.map((t) => structuredClone(t)) } } };
}
