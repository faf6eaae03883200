import { isPlainObject } from '../core/deep-merge.js';

/** One key of the config file: its type, default and meaning (the README's config reference is made from these). */
export type ConfigField =
  | { readonly kind: 'boolean'; readonly default?: boolean; readonly doc: string }
  | { readonly kind: 'string'; readonly default?: string; readonly doc: string; readonly pattern?: RegExp; readonly patternDoc?: string; readonly minLength?: number }
  | { readonly kind: 'number'; readonly default?: number; readonly doc: string; readonly min?: number; readonly max?: number }
  | { readonly kind: 'enum'; readonly values: readonly string[]; readonly default?: string; readonly doc: string }
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, ConfigField>>; readonly doc: string }
  | { readonly kind: 'map'; readonly doc: string };

/** One problem found in a config file, with the key path it is about. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isPlainObject(value)) return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function closest(key: string, candidates: string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const current = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = current;
      }
    }
    return row[b.length]!;
  };
  const scored = candidates.map((c) => [c, distance(key.toLowerCase(), c.toLowerCase())] as const).sort((x, y) => x[1] - y[1]);
  return scored[0] && scored[0][1] <= Math.max(2, Math.floor(key.length / 3)) ? scored[0][0] : undefined;
}

/** Checks `value` against `field`, collecting every problem (not only the first) with its key path. */
export function validate(field: ConfigField, value: unknown, path: string, issues: ConfigIssue[]): void {
  const at = path || '(top level)';
  switch (field.kind) {
    case 'boolean':
      if (typeof value !== 'boolean') issues.push({ path: at, message: `expected true or false, got ${typeName(value)}` });
      return;
    case 'string':
      if (typeof value !== 'string') {
        issues.push({ path: at, message: `expected a string, got ${typeName(value)}` });
      } else if (field.minLength !== undefined && value.length < field.minLength) {
        issues.push({ path: at, message: `must be at least ${field.minLength} characters long` });
      } else if (field.pattern && !field.pattern.test(value)) {
        issues.push({ path: at, message: `'${value}' is not allowed: ${field.patternDoc ?? `must match ${field.pattern}`}` });
      }
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        issues.push({ path: at, message: `expected a number, got ${typeName(value)}` });
      } else if ((field.min !== undefined && value < field.min) || (field.max !== undefined && value > field.max)) {
        issues.push({ path: at, message: `${value} is out of range: allowed ${field.min ?? '-∞'} to ${field.max ?? '∞'}` });
      }
      return;
    case 'enum':
      if (typeof value !== 'string' || !field.values.includes(value)) {
        issues.push({ path: at, message: `${typeName(value)} is not allowed; allowed: ${field.values.join(', ')}` });
      }
      return;
    case 'map':
      if (!isPlainObject(value)) issues.push({ path: at, message: `expected a mapping, got ${typeName(value)}` });
      return;
    case 'object': {
      if (!isPlainObject(value)) {
        issues.push({ path: at, message: `expected a mapping, got ${typeName(value)}` });
        return;
      }
      const known = Object.keys(field.fields);
      for (const [key, child] of Object.entries(value)) {
        const childPath = path ? `${path}.${key}` : key;
        const spec = field.fields[key];
        if (!spec) {
          const hint = closest(key, known);
          issues.push({
            path: childPath,
            message: `unknown key${hint ? ` (did you mean '${hint}'?)` : ''}; allowed keys here: ${known.join(', ')}`,
          });
          continue;
        }
        validate(spec, child, childPath, issues);
      }
    }
  }
}

/** Every key of a schema with its field, depth first, for the README's config reference. */
export function describe(field: ConfigField, path = ''): Array<{ path: string; field: ConfigField }> {
  if (field.kind !== 'object') return [{ path, field }];
  const rows: Array<{ path: string; field: ConfigField }> = path ? [{ path, field }] : [];
  for (const [key, child] of Object.entries(field.fields)) rows.push(...describe(child, path ? `${path}.${key}` : key));
  return rows;
}
