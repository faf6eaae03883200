import type { ChartDelivery } from '../core/chart-delivery.js';

/**
 * For clusters whose operators and charts are managed elsewhere (an existing JARK cluster, a platform team's
 * GitOps repo): emits nothing for upstream charts, so only this library's own resources are synthesized.
 * The names this library derives (service names, selector labels) must then match the existing releases;
 * set the release names in the component props if they differ from the defaults.
 */
export class ExternalDelivery implements ChartDelivery {
  public readonly mode = 'external' as const;

  public deliver(): void {
    // Intentionally empty: the charts are installed and upgraded outside this app.
  }
}
