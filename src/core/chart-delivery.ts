import type { Construct } from 'constructs';
import type { UpstreamChartRelease } from './upstream-chart.js';

/**
 * How upstream charts reach the cluster.
 * - `helm`: rendered at synth time by the cdk8s `Helm` construct (`helm template`; needs helm >= 3.14 on PATH).
 * - `flux`: a Flux `HelmRepository` and `HelmRelease` per chart (Flux must run in the cluster).
 * - `argocd`: an Argo CD `Application` per chart (Argo CD must run in the cluster).
 * - `external`: the charts are managed elsewhere (e.g. an existing JARK cluster); only this library's own objects are emitted.
 */
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

/** Every delivery mode, in the order messages list them. */
export const DELIVERY_MODES = ['helm', 'flux', 'argocd', 'external'] as const;

/** A strategy that turns chart releases into Kubernetes objects. */
export interface ChartDelivery {
  /** The mode this strategy implements. */
  readonly mode: DeliveryMode;
  /**
   * Adds whatever delivers `release` to `scope`: rendered manifests, GitOps objects, or nothing.
   * @param scope where the objects go (the setup chart, applied before the resources that need the CRDs)
   * @param id construct id, unique within `scope`
   */
  deliver(scope: Construct, id: string, release: UpstreamChartRelease): void;
}

/** Thrown for a delivery that cannot work on this machine or with these settings. */
export class DeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryError';
  }
}
