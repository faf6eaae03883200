/**
 * The building blocks of the config file's declaration: keys with their meaning, the default a construct takes
 * when they are left out, and an example where there is no default. Editors show these (through the JSON Schema),
 * the README's table lists them, and the loader's error messages use them.
 */
import { z } from 'zod';
import { issueMessage, showValue } from '../core/value-types.js';

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

/** A key that may be left out. */
export function key<T extends z.ZodType>(type: T, doc: KeyDoc<z.input<T>>) {
  return type.meta(metadata(doc)).optional();
}

/**
 * A key holding a comma-separated list of distinct `item`s (`a, b`), as the reference chart's values write lists;
 * read as an array, each item checked by `item` (an item's error names the item). May be left out.
 */
export function listKey(item: z.ZodType<string>, doc: KeyDoc<string>) {
  return z
    .string()
    .meta(metadata(doc))
    .transform((text, context) => {
      const items = text.split(',').map((s) => s.trim());
      const problem = (message: string) => context.addIssue({ code: 'custom', input: text, message });
      if (items.some((s) => s === '')) problem(`${showValue(text)} has an empty item: give a comma-separated list such as ${doc.example ?? doc.default}`);
      for (const value of items.filter(Boolean)) {
        const result = item.safeParse(value, { error: issueMessage });
        if (!result.success) for (const issue of result.error.issues) problem(issue.message);
      }
      const twice = items.filter((value, i) => value && items.indexOf(value) !== i);
      if (twice.length > 0) problem(`lists ${[...new Set(twice)].map(showValue).join(', ')} more than once`);
      return items.filter(Boolean);
    })
    .optional();
}

/** A key that must be given whenever its mapping is. */
export function requiredKey<T extends z.ZodType>(type: T, doc: Omit<KeyDoc<z.input<T>>, 'default'>) {
  return type.meta(metadata(doc));
}

/**
 * A key of the app itself (not a construct's prop), whose default the loader applies: the parsed config always
 * has it.
 */
export function appKey<T extends z.ZodType>(type: T, doc: { readonly description: string; readonly default: z.util.NoUndefined<z.output<T>> }) {
  return type.default(doc.default).meta({ description: doc.description });
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
