import { isPlainObject, type JsonObject } from '../../src/core/deep-merge.js';

export { defaultValues } from './upstream.js';

/**
 * Keys whose value charts pass straight into a Kubernetes object (a container's `resources`, a pod's
 * `securityContext`, ...): below them the Kubernetes API schema applies, not the chart's defaults.
 */
export const KUBERNETES_TYPED_KEYS = new Set([
  'resources', 'securityContext', 'podSecurityContext', 'containerSecurityContext', 'nodeSelector', 'tolerations',
  'affinity', 'labels', 'annotations', 'additionalLabels', 'podLabels', 'podAnnotations',
]);

/**
 * Key paths of `values` that the chart's defaults do not declare. Descending stops (the path is accepted) where the
 * default is an empty map, null, or not a map, or the key is a Kubernetes-typed one ({@link KUBERNETES_TYPED_KEYS}):
 * those are free-form there (e.g. `resources: {}`, `storageSpec: {}`).
 */
export function undeclaredPaths(values: JsonObject, defaults: unknown, prefix = ''): string[] {
  const missing: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (!isPlainObject(defaults) || !(key in defaults)) {
      missing.push(path);
      continue;
    }
    const declared = defaults[key];
    const freeForm = KUBERNETES_TYPED_KEYS.has(key) || !isPlainObject(declared) || Object.keys(declared).length === 0;
    if (isPlainObject(value) && !freeForm) missing.push(...undeclaredPaths(value, declared, path));
  }
  return missing;
}
