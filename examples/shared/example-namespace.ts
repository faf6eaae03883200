import { k8s } from 'cdk8s-plus-30';
import type { Construct } from 'constructs';

/** Namespace the training and inference examples run in (the Hugging Face token Secret must be created there). */
export const EXAMPLES_NAMESPACE = 'llm-examples';

/** Labels every object of the examples carries. */
export const EXAMPLE_LABELS = { 'app.kubernetes.io/part-of': 'aiml-observability-examples' } as const;

/** A Kubernetes name (RFC 1123 label): lower-case alphanumerics and '-', at most `max` characters. */
export function checkName(field: string, value: string, max = 63): string {
  if (value.length > max || !/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(value)) {
    throw new Error(`${field}: '${value}' must be a DNS label (lower-case letters, digits and '-', starting with a letter) of at most ${max} characters`);
  }
  return value;
}

/**
 * The example's namespace, with Pod Security Admission set to warn about and audit anything below the
 * `restricted` profile (every pod of the examples meets it; warn rather than enforce, so a cluster that injects
 * sidecars of its own is not blocked).
 */
export function exampleNamespace(scope: Construct, name: string): k8s.KubeNamespace {
  return new k8s.KubeNamespace(scope, 'namespace', {
    metadata: {
      name,
      labels: {
        ...EXAMPLE_LABELS,
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/audit': 'restricted',
      },
    },
  });
}
