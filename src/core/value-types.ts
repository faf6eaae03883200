/**
 * The kinds of values props and config keys take (DNS labels, durations, quantities, CIDRs, image references...),
 * each declared once as a zod schema whose error says what is allowed. Constructs check their props with
 * {@link checkProp}; the config file's schema uses the same types, so a library user and a config-file user get the
 * same message, and the JSON Schema editors read carries the same patterns and bounds.
 */
import { z } from 'zod';
import { type MessagePart, PropError, type PropIssue, type PropPath, propPath } from './prop-error.js';

/** A value as messages show it: strings quoted (control characters visible), numbers and booleans as they are. */
export function showValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
};

/**
 * Messages for the problems zod finds that no value type words itself (a wrong type, a value not in a list, an
 * unknown key): `expected a number, got string "3"`. Passed to every parse, so the library's messages do not depend
 * on zod's wording or on a global zod setting of the application.
 */
export const issueMessage: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      if (issue.input === undefined) return `is required: give ${expected}`;
      if (typeof issue.input === 'number' && !Number.isFinite(issue.input)) {
        const yaml = Number.isNaN(issue.input) ? '.nan' : issue.input > 0 ? '.inf' : '-.inf';
        return `${String(issue.input)} (YAML ${yaml}) is not allowed: give a finite number`;
      }
      const hint = issue.input === null ? ' (an empty value in YAML is null: give a value or remove the key)' : '';
      return `expected ${expected}, got ${showValue(issue.input)}${hint}`;
    }
    case 'invalid_value':
      return `${showValue(issue.input)} is not allowed; allowed: ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'too_small':
      return `${showValue(issue.input)} is too small: at least ${String(issue.minimum)}`;
    case 'too_big':
      return `${showValue(issue.input)} is too large: at most ${String(issue.maximum)}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')}`;
    case 'invalid_format':
      return `${showValue(issue.input)} is not allowed: must match ${'pattern' in issue ? String(issue.pattern) : issue.format}`;
    default:
      return undefined;
  }
};

function issuesAt(error: z.ZodError, at: PropPath): PropIssue[] {
  return error.issues.map((issue) => ({ path: [...at, ...issue.path.map(String)], message: [issue.message] }));
}

/** Checks a prop against its value type; throws a {@link PropError} naming `path` and what is allowed. */
export function checkProp<T extends z.ZodType>(type: T, value: unknown, path: PropPath | string): z.output<T> {
  const result = type.safeParse(value, { error: issueMessage });
  if (result.success) return result.data;
  throw new PropError(issuesAt(result.error, propPath(path)));
}

/** Collects every problem with a construct's props, then throws them together. */
export class PropChecks {
  readonly #issues: PropIssue[] = [];

  /** Checks `value` against `type` when it is given (undefined means "the default"). */
  public check(type: z.ZodType, value: unknown, path: PropPath | string): void {
    if (value === undefined) return;
    const result = type.safeParse(value, { error: issueMessage });
    if (!result.success) this.#issues.push(...issuesAt(result.error, propPath(path)));
  }

  /** Records a problem with the prop at `path`. */
  public fail(path: PropPath | string, message: string | readonly MessagePart[]): void {
    this.#issues.push({ path: propPath(path), message: typeof message === 'string' ? [message] : message });
  }

  /** Throws a {@link PropError} with every problem recorded, if there is any. */
  public throwIfAny(): void {
    if (this.#issues.length > 0) throw new PropError(this.#issues);
  }
}

/** A string matching `pattern`; `allowed` says in words what that is (in errors, and to editors). */
export function patterned(pattern: RegExp, allowed: string) {
  return z
    .string()
    .regex(pattern, { error: (issue) => `${showValue(issue.input)} is not allowed: ${allowed}` })
    .meta({ patternErrorMessage: allowed });
}

/** A number from `min` to `max` (whole numbers only with `int`). */
export function numberIn(min: number, max: number, options: { readonly int?: boolean } = {}) {
  const allowed = `must be ${options.int ? 'a whole number' : 'a number'} from ${min} to ${max}`;
  const bad = (issue: { readonly input?: unknown }) => `${showValue(issue.input)} is not allowed: ${allowed}`;
  const range = z.number().min(min, { error: bad }).max(max, { error: bad });
  return options.int ? range.int({ error: bad }) : range;
}

/** A number of at least `min`, with no upper bound. */
export function numberFrom(min: number) {
  return z.number().min(min, { error: (issue) => `${showValue(issue.input)} is not allowed: must be a number of at least ${min}` });
}

/** One of `values`. */
export function oneOf<const V extends readonly [string, ...string[]]>(values: V) {
  return z.enum(values);
}

const DNS_LABEL_TEXT = 'lower-case letters, digits and "-", starting and ending with a letter or digit';

/** A DNS label (RFC 1123) of at most `max` characters, e.g. a namespace; `letterFirst` for names that must start with a letter. */
export function dnsLabel(max = 63, options: { readonly letterFirst?: boolean } = {}) {
  const first = options.letterFirst ? '[a-z]' : '[a-z0-9]';
  return patterned(
    new RegExp(`^(?=.{1,${max}}$)${first}([-a-z0-9]*[a-z0-9])?$`),
    `must be a DNS label: ${DNS_LABEL_TEXT}${options.letterFirst ? ' (a letter first)' : ''}, at most ${max} characters`,
  );
}

/** A Kubernetes object name (DNS subdomain, at most 63 characters here), e.g. a Secret or a storage class. */
export const objectName = patterned(
  /^(?=.{1,63}$)[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
  'must be an object name: lower-case letters, digits, "-" and ".", starting and ending with a letter or digit, at most 63 characters',
);

/** A Prometheus duration such as `30m`, `15d` or `1h30m`. */
export const prometheusDuration = patterned(/^(\d+(ms|s|m|h|d|w|y))+$/, 'must be a Prometheus duration such as 30m, 12h or 15d');

/** A Prometheus duration longer than zero, e.g. a retention (`0d` would keep nothing). */
export const positivePrometheusDuration = patterned(/^(?=.*[1-9])(\d+(ms|s|m|h|d|w|y))+$/, 'must be a Prometheus duration longer than 0, such as 12h or 15d');

/** A Go duration longer than zero such as `30m` or `1h30m` (Flux intervals). */
export const goDuration = patterned(/^(?=.*[1-9])(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/, 'must be a duration such as 30m, 1h or 1h30m (more than 0)');

/** A storage size in binary units such as `50Gi`. */
export const storageSize = patterned(/^[1-9]\d*(Ki|Mi|Gi|Ti)$/, 'must be a size such as 50Gi or 500Mi (more than 0)');

/** A memory quantity such as `4Gi` or `4096Mi`, more than 0. */
export const memoryQuantity = patterned(/^(?=[\d.]*[1-9])\d+(\.\d+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$/, 'must be a memory quantity such as 4Gi or 4096Mi (more than 0)');

/** A CPU quantity such as `2` or `500m`, more than 0. */
export const cpuQuantity = patterned(/^(?=[\d.]*[1-9])\d+(\.\d+)?m?$/, 'must be a CPU quantity such as 2 or 500m (more than 0)');

/** A TCP port. */
export const tcpPort = numberIn(1, 65535, { int: true });

/** A host name without scheme, port or path. */
export const hostName = patterned(/^(?=.{1,253}$)[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$/, 'must be a host name (no scheme, port or path)');

const IMAGE_COMPONENT = '[a-z0-9]+(?:[._-]+[a-z0-9]+)*';
const IMAGE_DOMAIN = '(?:(?:[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+|localhost)(?::\\d+)?/|[A-Za-z0-9-]+:\\d+/)?';
const IMAGE_TAG = ':(?!latest(?:@|$))\\w[\\w.-]{0,127}';
const IMAGE_DIGEST = '@sha256:[a-f0-9]{64}';

/** A container image reference pinned by a tag other than `latest`, or by digest; repository in lower case. */
export const pinnedImage = patterned(
  new RegExp(`^${IMAGE_DOMAIN}${IMAGE_COMPONENT}(?:/${IMAGE_COMPONENT})*(?:${IMAGE_TAG}(?:${IMAGE_DIGEST})?|${IMAGE_DIGEST})$`),
  'must be an image reference pinned by a tag other than latest or by a digest, repository in lower case, e.g. registry.example.com/team/image:1.2.3',
);

/** A label key such as `example.com/name`. */
export const labelKey = patterned(
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
  'must be a label key such as example.com/name',
);

/** A label value (possibly empty). */
export const labelValue = patterned(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, 'must be a label value: letters, digits, "-", "_" and ".", at most 63 characters');

const CIDR_TEXT = 'must be a CIDR such as 10.0.0.1/32 or fd00::/8';

/** An IPv4 or IPv6 CIDR (zod's own cidrv4 / cidrv6 formats). */
export const cidr = z
  .union([z.cidrv4(), z.cidrv6()], { error: (issue) => `${showValue(issue.input)} is not allowed: ${CIDR_TEXT}` })
  .meta({ patternErrorMessage: CIDR_TEXT });

/** A password typed by a person: at least `min` characters, no control characters; errors never show it. */
export function password(min: number) {
  // Even a wrong type is not shown: a password written as a number is still a password.
  const kind = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : `a ${typeof value}`);
  return z
    .string({ error: (issue) => (issue.input === undefined ? undefined : `expected a string, got ${kind(issue.input)}`) })
    .min(min, { error: (issue) => `must be at least ${min} characters long (got ${String((issue.input as string).length)})` })
    .regex(/^[^\u0000-\u001f\u007f]*$/, { error: 'must not contain control characters (newlines, tabs, ...)' });
}
