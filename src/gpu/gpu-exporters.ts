import { Construct } from 'constructs';
import type { ChartComponentProps } from '../core/component-props.js';
import { withinProp } from '../core/prop-error.js';
import { DcgmExporter, type DcgmExporterOptions } from './dcgm-exporter.js';
import { NeuronMonitor, type NeuronMonitorOptions } from './neuron-monitor.js';
import type { PrometheusTarget } from '../core/prometheus-target.js';
import type { Platform } from '../core/platform.js';

/** Which exporters run when their `enabled` is left out. */
export const GPU_EXPORTERS_ENABLED_BY_DEFAULT = { dcgm: true, neuron: false } as const;

/** Props of {@link GpuExporters}. */
export interface GpuExportersProps extends ChartComponentProps {
  /** The Prometheus that scrapes the exporters. */
  readonly prometheus: PrometheusTarget;
  /**
   * NVIDIA dcgm-exporter. On by default: this is a GPU observability stack, and on a cluster without NVIDIA GPUs
   * the DaemonSet schedules no pod (it only runs on GPU nodes), so it costs nothing. Set `mode: 'existing'` when the
   * NVIDIA GPU operator already runs one (two exporters on a node compete for the profiling counters).
   * @default enabled, mode "deploy"
   */
  readonly dcgm?: DcgmExporterOptions & { readonly enabled?: boolean };
  /**
   * AWS neuron-monitor for Inferentia / Trainium. Off by default: it is AWS-only and needs a privileged container.
   * @default disabled
   */
  readonly neuron?: NeuronMonitorOptions & { readonly enabled?: boolean };
  /**
   * The Kubernetes platform: the GPU node labels and taints dcgm-exporter runs on; Neuron only on `eks` / `generic`.
   * @default "generic"
   */
  readonly platform?: Platform;
}

/**
 * Accelerator exporters, each gated by its props: NVIDIA dcgm-exporter ({@link DcgmExporter}, on by default) and
 * AWS neuron-monitor ({@link NeuronMonitor}, off by default); each either deployed by us or an existing one scraped.
 */
export class GpuExporters extends Construct {
  /** The dcgm-exporter, when enabled. */
  public readonly dcgm?: DcgmExporter;
  /** The neuron-monitor, when enabled. */
  public readonly neuron?: NeuronMonitor;

  constructor(scope: Construct, id: string, props: GpuExportersProps) {
    super(scope, id);
    const { dcgm, neuron, ...wiring } = props;
    if (dcgm?.enabled ?? GPU_EXPORTERS_ENABLED_BY_DEFAULT.dcgm) {
      const { enabled: _enabled, ...options } = dcgm ?? {};
      this.dcgm = withinProp('dcgm', () => new DcgmExporter(this, 'dcgm', { ...wiring, ...options }));
    }
    if (neuron?.enabled ?? GPU_EXPORTERS_ENABLED_BY_DEFAULT.neuron) {
      const { enabled: _enabled, ...options } = neuron ?? {};
      this.neuron = withinProp('neuron', () => new NeuronMonitor(this, 'neuron', { prometheus: props.prometheus, namespace: props.namespace, platform: props.platform, ...options }));
    }
  }
}
