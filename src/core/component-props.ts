import type { Construct } from 'constructs';
import type { ChartDelivery } from './chart-delivery.js';
import type { CredentialStore } from './credential-store.js';
import type { JsonObject } from './deep-merge.js';

/** The namespace every component uses unless told otherwise. */
export const DEFAULT_NAMESPACE = 'observability';

/** Props every component shares: where it lives and how its upstream chart is delivered. */
export interface ComponentProps {
  /**
   * Namespace of the component's objects and chart release.
   * @default "observability"
   */
  readonly namespace?: string;
  /**
   * How the component's upstream chart reaches the cluster. Required for components that deliver a chart;
   * `ObservabilityChart` passes the one chosen by `delivery`.
   * @default none: required by every component that delivers a chart (a clear error names it when missing)
   */
  readonly delivery?: ChartDelivery;
  /**
   * Where the upstream chart (CRDs, operator) goes: a scope applied before the resources that need its CRDs.
   * @default the component itself
   */
  readonly setupScope?: Construct;
  /**
   * Source of generated credentials.
   * @default a FileCredentialStore at `.aiml-observability/credentials.json`
   */
  readonly credentials?: CredentialStore;
  /**
   * Helm values merged over the ones the component computes (Helm merge semantics: objects merge, arrays replace).
   * @default none
   */
  readonly values?: JsonObject;
}
