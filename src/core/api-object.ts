import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';

/** A typed model object from `@kubernetes-models/*`: validates itself and renders to JSON. */
export interface KubernetesModel {
  validate(): void;
  toJSON(): unknown;
}

/**
 * Adds a typed `@kubernetes-models` object (ServiceMonitor, PodMonitor, PrometheusRule, ...) to a cdk8s scope,
 * after validating it against the model's schema.
 */
export function addModel(scope: Construct, id: string, model: KubernetesModel): ApiObject {
  model.validate();
  const { apiVersion, kind, metadata, ...rest } = model.toJSON() as Record<string, any>;
  return new ApiObject(scope, id, { apiVersion, kind, metadata, ...rest });
}
