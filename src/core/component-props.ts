import type { Construct } from 'constructs';
import type { ChartDelivery } from './chart-delivery.js';
import type { CredentialStore } from './credential-store.js';
import type { JsonObject } from './deep-merge.js';

/** The namespace every component uses unless told otherwise. */
export const DEFAULT_NAMESPACE = 'observability';

/** Props every component shares: where it lives, where its setup objects go and its chart's value overrides. */
export interface ComponentProps {
  /**
   * Namespace of the component's objects and chart release.
   * @default "observability"
   */
  readonly namespace?: string;
  /**
   * Where the upstream chart (CRDs, operator) goes: a scope applied before the resources that need its CRDs.
   * @default the component itself
   */
  readonly setupScope?: Construct;
  /**
   * Where generated passwords are kept between synths (the app passes a file store; a one-off synth a
   * MemoryCredentialStore). Constructs keep nothing themselves: writing a file is the caller's choice.
   * @default none: a password that has to be generated is an error naming the props that would give it
   */
  readonly credentials?: CredentialStore;
  /**
   * Helm values merged over the ones the component computes (Helm merge semantics: objects merge, arrays replace).
   * @default none
   */
  readonly values?: JsonObject;
}

/** Props of a component that delivers an upstream chart (CRDs, operator) through a {@link ChartDelivery}. */
export interface ChartComponentProps extends ComponentProps {
  /** How the component's upstream chart reaches the cluster; `ObservabilityChart` passes the one its `delivery` names. */
  readonly delivery: ChartDelivery;
}
