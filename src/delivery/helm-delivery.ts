import { Helm } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ChartDelivery } from '../core/chart-delivery.js';
import { assertHelmAvailable } from './helm-binary.js';
import type { UpstreamChartRelease } from '../core/upstream-chart.js';

/** Options of the `helm` delivery mode. */
export interface HelmDeliveryProps {
  /**
   * The helm executable that renders the charts.
   * @default "helm"
   */
  readonly helmExecutable?: string;
}

/**
 * Renders each chart at synth time with `helm template` (through the cdk8s `Helm` construct), CRDs included,
 * so `dist/` holds plain manifests. The helm binary is checked once, when the strategy is created.
 */
export class HelmDelivery implements ChartDelivery {
  public readonly mode = 'helm' as const;
  /** The helm executable used. */
  public readonly helmExecutable: string;

  constructor(props: HelmDeliveryProps = {}) {
    this.helmExecutable = props.helmExecutable ?? 'helm';
    assertHelmAvailable(this.helmExecutable);
  }

  public deliver(scope: Construct, id: string, release: UpstreamChartRelease): void {
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
