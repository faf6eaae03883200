/**
 * The building blocks of the config file's declaration: keys with their meaning, the default a construct takes
 * when they are left out, and an example where there is no default. Editors show these (through the JSON Schema),
 * the README's table lists them, and the loader's error messages use them.
 */
import { z } from 'zod';

/** How a key is documented. */
export interface KeyDoc<T> {
  /** What the key does (one or two sentences). */
  readonly description: string;
  /**
   * What a left-out key means. Documentation only: the construct the key maps to applies its own default, which
   * this must be (pass the construct's exported constant).
   */
  readonly default?: T;
  /** A value to show where there is no default. */
  readonly example?: T;
}

function metadata<T>(doc: KeyDoc<T>): Record<string, unknown> {
  return {
    description: doc.description,
    ...(doc.default !== undefined ? { default: doc.default } : {}),
    ...(doc.example !== undefined ? { examples: [doc.example] } : {}),
  };
}

/**
 * `type` documented by `doc`. A value read by a transform (a comma-separated list) is documented on its input side,
 * where the JSON Schema of the file as written looks.
 */
function documented<T extends z.ZodType>(type: T, doc: KeyDoc<z.input<T>>): T {
  if (type instanceof z.ZodPipe) return z.pipe((type.in as z.ZodType).meta(metadata(doc)), type.out) as unknown as T;
  return type.meta(metadata(doc));
}

/** A key that may be left out. */
export function key<T extends z.ZodType>(type: T, doc: KeyDoc<z.input<T>>) {
  return documented(type, doc).optional();
}

/** A key that must be given whenever its mapping is. */
export function requiredKey<T extends z.ZodType>(type: T, doc: Omit<KeyDoc<z.input<T>>, 'default'>) {
  return documented(type, doc);
}

/**
 * A key of the app itself (not a construct's prop), whose default the loader applies: the parsed config always
 * has it.
 */
export function appKey<T extends z.ZodType>(type: T, doc: Required<Pick<KeyDoc<z.output<T>>, 'description' | 'default'>>) {
  return type.default(doc.default as never).meta({ description: doc.description });
}

/** `enabled`: turns a component on or off; `on` is what the construct does when it is left out. */
export function toggle(description: string, on: boolean) {
  return key(z.boolean(), { description, default: on });
}

/** A mapping of keys (unknown keys are errors), which may be left out. */
export function section<S extends z.ZodRawShape>(description: string, shape: S) {
  return z.strictObject(shape).optional().meta({ description });
}

/** A free-form mapping (pass-through values). */
export function freeForm(description: string) {
  return z.record(z.string(), z.unknown()).optional().meta({ description });
}
