import { Helm } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ChartDelivery } from '../core/chart-delivery.js';
import { assertHelmAvailable } from './helm-binary.js';
import type { UpstreamChartRelease } from '../core/upstream-chart.js';

/** The helm executable the `helm` mode runs unless told otherwise. */
export const DEFAULT_HELM_EXECUTABLE = 'helm';

/** Options of the `helm` delivery mode. */
export interface HelmDeliveryProps {
  /**
   * The helm executable that renders the charts.
   * @default {@link DEFAULT_HELM_EXECUTABLE}
   */
  readonly helmExecutable?: string;
}

/**
 * Renders each chart at synth time with `helm template` (through the cdk8s `Helm` construct), CRDs included,
 * so `dist/` holds plain manifests. Creating the strategy runs nothing: the helm binary is checked once, when the
 * first chart is delivered, and a missing or old helm is an error that names the other modes.
 */
export class HelmDelivery implements ChartDelivery {
  public readonly mode = 'helm' as const;
  /** The helm executable used. */
  public readonly helmExecutable: string;
  private helmChecked = false;

  constructor(props: HelmDeliveryProps = {}) {
    this.helmExecutable = props.helmExecutable ?? DEFAULT_HELM_EXECUTABLE;
  }

  public deliver(scope: Construct, id: string, release: UpstreamChartRelease): void {
    if (!this.helmChecked) {
      assertHelmAvailable(this.helmExecutable);
      this.helmChecked = true;
    }
    new Helm(scope, id, {
      chart: release.chart.chart,
      repo: release.chart.repoUrl,
      version: release.chart.version,
      releaseName: release.releaseName,
      namespace: release.namespace,
      values: release.values,
      helmExecutable: this.helmExecutable,
      helmFlags: ['--include-crds', '--skip-tests'],
    });
  }
}
