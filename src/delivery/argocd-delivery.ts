import type { Construct } from 'constructs';
import { Application } from '../../imports/argoproj.io.js';
import type { ChartDelivery } from '../core/chart-delivery.js';
import type { UpstreamChartRelease } from '../core/upstream-chart.js';
import { checkProp } from '../core/value-types.js';
import { ARGOCD_DELIVERY_VALUE_TYPES } from './delivery-value-types.js';

/** What the `argocd` mode uses unless told otherwise. */
export const ARGOCD_DELIVERY_DEFAULTS = {
  applicationNamespace: 'argocd',
  project: 'default',
  destinationServer: 'https://kubernetes.default.svc',
} as const;

/** Options of the `argocd` delivery mode. */
export interface ArgoCdDeliveryProps {
  /**
   * Namespace Argo CD watches for Applications.
   * @default {@link ARGOCD_DELIVERY_DEFAULTS}.applicationNamespace
   */
  readonly applicationNamespace?: string;
  /**
   * Argo CD project of the Applications.
   * @default {@link ARGOCD_DELIVERY_DEFAULTS}.project
   */
  readonly project?: string;
  /**
   * API server the Applications deploy to.
   * @default {@link ARGOCD_DELIVERY_DEFAULTS}.destinationServer
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
    const types = ARGOCD_DELIVERY_VALUE_TYPES;
    this.applicationNamespace = checkProp(types.applicationNamespace, props.applicationNamespace ?? ARGOCD_DELIVERY_DEFAULTS.applicationNamespace, 'applicationNamespace');
    this.project = checkProp(types.project, props.project ?? ARGOCD_DELIVERY_DEFAULTS.project, 'project');
    this.destinationServer = props.destinationServer ?? ARGOCD_DELIVERY_DEFAULTS.destinationServer;
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
