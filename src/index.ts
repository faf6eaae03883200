/**
 * AI/ML observability stack as code: typed cdk8s constructs composed by {@link ObservabilityChart}.
 * @packageDocumentation
 */
export * from './component-props.js';
export * from './credentials/credential-store.js';
export * from './delivery/chart-delivery.js';
export * from './delivery/create-delivery.js';
export * from './delivery/upstream-chart.js';
export * from './delivery/documented-value-keys.js';
export * from './delivery/helm-delivery.js';
export * from './delivery/flux-delivery.js';
export * from './delivery/argocd-delivery.js';
export * from './delivery/external-delivery.js';
export * from './delivery/helm-binary.js';
export * from './observability-chart.js';
export * from './opencost.js';
export * from './prometheus-stack.js';
export * from './security.js';
export type { JsonObject } from './util/deep-merge.js';
