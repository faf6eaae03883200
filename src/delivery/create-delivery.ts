import { type ChartDelivery, DELIVERY_MODES, DeliveryError, type DeliveryMode } from '../core/chart-delivery.js';
import { withinProp } from '../core/prop-error.js';
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

/**
 * Creates the strategy for `mode` (runs nothing: the `helm` mode checks helm when it first delivers). Throws a
 * {@link DeliveryError} for an unknown mode, and a PropError naming `<mode>.<option>` for a bad option.
 */
export function createDelivery(mode: DeliveryMode, options: DeliveryOptions = {}): ChartDelivery {
  switch (mode) {
    case 'helm':
      return withinProp('helm', () => new HelmDelivery(options.helm));
    case 'flux':
      return withinProp('flux', () => new FluxDelivery(options.flux));
    case 'argocd':
      return withinProp('argocd', () => new ArgoCdDelivery(options.argocd));
    case 'external':
      return new ExternalDelivery();
    default:
      throw new DeliveryError(`'${String(mode)}' is not a delivery mode; allowed: ${DELIVERY_MODES.join(', ')}`);
  }
}
