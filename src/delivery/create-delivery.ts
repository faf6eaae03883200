import { type ChartDelivery, DELIVERY_MODES, DeliveryError, type DeliveryMode } from '../core/chart-delivery.js';
import { ArgoCdDelivery, type ArgoCdDeliveryProps } from './argocd-delivery.js';
import { ExternalDelivery } from './external-delivery.js';
import { FluxDelivery, type FluxDeliveryProps } from './flux-delivery.js';
import { HelmDelivery, type HelmDeliveryProps } from './helm-delivery.js';

/** Options for every delivery mode; each mode reads only its own. */
export interface DeliveryOptions {
  readonly helm?: HelmDeliveryProps;
  readonly flux?: FluxDeliveryProps;
  readonly argocd?: ArgoCdDeliveryProps;
}

/** Creates the strategy for `mode`. Throws a {@link DeliveryError} for an unknown mode or a missing helm. */
export function createDelivery(mode: DeliveryMode, options: DeliveryOptions = {}): ChartDelivery {
  switch (mode) {
    case 'helm':
      return new HelmDelivery(options.helm);
    case 'flux':
      return new FluxDelivery(options.flux);
    case 'argocd':
      return new ArgoCdDelivery(options.argocd);
    case 'external':
      return new ExternalDelivery();
    default:
      throw new DeliveryError(`charts.delivery: '${String(mode)}' is not a delivery mode; allowed: ${DELIVERY_MODES.join(', ')}`);
  }
}
