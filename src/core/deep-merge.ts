/** A JSON-like object: what Helm values and config sections are made of. */
export type JsonObject = { [key: string]: unknown };

/** True for plain objects (not arrays, not null). */
export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Merges `override` into `base` the way Helm merges values files: objects merge key by key,
 * anything else (arrays included) in `override` replaces what `base` had. Neither input is modified.
 */
export function deepMerge(base: JsonObject, override: JsonObject | undefined): JsonObject {
  if (!override) return structuredClone(base);
  const out: JsonObject = structuredClone(base);
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : structuredClone(value);
  }
  return out;
}
