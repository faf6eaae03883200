import type { Construct } from 'constructs';
import { Application } from '../../imports/argoproj.io.js';
import type { ChartDelivery } from '../core/chart-delivery.js';
import type { UpstreamChartRelease } from '../core/upstream-chart.js';

/** Options of the `argocd` delivery mode. */
export interface ArgoCdDeliveryProps {
  /**
   * Namespace Argo CD watches for Applications.
   * @default "argocd"
   */
  readonly applicationNamespace?: string;
  /**
   * Argo CD project of the Applications.
   * @default "default"
   */
  readonly project?: string;
  /**
   * API server the Applications deploy to.
   * @default "https://kubernetes.default.svc"
   */
  readonly destinationServer?: string;
}

/**
 * Delivers each chart as an Argo CD `Application` with inline values, synced with server-side apply
 * (the prometheus-operator CRDs are too large for client-side apply).
 */
export class ArgoCdDelivery implements ChartDelivery {
  public readonly mode = 'argocd' as const;
  private readonly applicationNamespace: string;
  private readonly project: string;
  private readonly destinationServer: string;

  constructor(props: ArgoCdDeliveryProps = {}) {
    this.applicationNamespace = props.applicationNamespace ?? 'argocd';
    this.project = props.project ?? 'default';
    this.destinationServer = props.destinationServer ?? 'https://kubernetes.default.svc';
  }

  public deliver(scope: Construct, id: string, release: UpstreamChartRelease): void {
    new Application(scope, id, {
      metadata: { name: release.releaseName, namespace: this.applicationNamespace },
      spec: {
        project: this.project,
        source: {
          repoUrl: release.chart.repoUrl,
          chart: release.chart.chart,
          targetRevision: release.chart.version,
          helm: { releaseName: release.releaseName, valuesObject: release.values },
        },
        destination: { server: this.destinationServer, namespace: release.namespace },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: ['ServerSideApply=true'],
        },
      },
    });
  }
}
