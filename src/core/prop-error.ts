/**
 * How constructs report props they cannot use: each problem names the prop to change by its path, and the props
 * its message mentions as references, so whoever gave the props (a library user, or the app reading a config file)
 * can name them the way its reader knows them.
 */

/** A prop, as the path from the props a construct was given: `['nodes', 'replicas']`. */
export type PropPath = readonly string[];

/** A piece of a problem's message: text, or a reference to another prop. */
export type MessagePart = string | { readonly prop: PropPath };

/** One problem with the props a construct was given. */
export interface PropIssue {
  /** The prop to change. */
  readonly path: PropPath;
  /** What is wrong and what is allowed. */
  readonly message: readonly MessagePart[];
}

/** Names a prop path the way the library user wrote it: `nodes.replicas`. */
export const dottedPropName = (path: PropPath): string => path.join('.') || '(props)';

/** The issue's message with every prop it mentions named by `name`. */
export function propIssueMessage(issue: PropIssue, name: (path: PropPath) => string = dottedPropName): string {
  return issue.message.map((part) => (typeof part === 'string' ? part : name(part.prop))).join('');
}

/** The issue as one line, `<prop>: <message>`, with every prop named by `name`. */
export function describePropIssue(issue: PropIssue, name: (path: PropPath) => string = dottedPropName): string {
  return `${name(issue.path)}: ${propIssueMessage(issue, name)}`;
}

/**
 * Thrown by a construct for props it cannot use (every problem found, not only the first). The message names each
 * prop by its dotted path from the construct's props; {@link ObservabilityChart} re-throws its components' errors
 * with the path from its own props, and the app names config keys instead.
 */
export class PropError extends Error {
  /** The problems, each with the prop it is about. */
  public readonly issues: readonly PropIssue[];

  constructor(issues: readonly PropIssue[]) {
    super(issues.map((issue) => describePropIssue(issue)).join('\n'));
    this.name = 'PropError';
    this.issues = issues;
  }

  /** The same problems as seen from the props that held this construct's props under `prefix`. */
  public within(prefix: PropPath): PropError {
    const moved = (path: PropPath) => [...prefix, ...path];
    return new PropError(
      this.issues.map((issue) => ({
        path: moved(issue.path),
        message: issue.message.map((part) => (typeof part === 'string' ? part : { prop: moved(part.prop) })),
      })),
    );
  }
}

/** `a.b.c` or `['a', 'b', 'c']` as a {@link PropPath}. */
export function propPath(path: PropPath | string): PropPath {
  return typeof path === 'string' ? path.split('.').filter(Boolean) : path;
}

/**
 * A message with prop references: an interpolated array of strings is a prop (`${['users', 'adminPassword']}`),
 * an array of message parts (e.g. from {@link propList}) is inserted as it is, anything else is text.
 */
export function msg(strings: TemplateStringsArray, ...values: unknown[]): MessagePart[] {
  const parts: MessagePart[] = [];
  strings.forEach((text, i) => {
    if (text) parts.push(text);
    if (i >= values.length) return;
    const value = values[i];
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) parts.push({ prop: value });
    else if (Array.isArray(value)) parts.push(...(value as MessagePart[]));
    else parts.push(String(value));
  });
  return parts;
}

/** Props as one message piece, `a / b`. */
export function propList(paths: readonly PropPath[], separator = ' / '): MessagePart[] {
  return paths.flatMap((prop, i) => (i === 0 ? [{ prop }] : [separator, { prop }]));
}

/** A {@link PropError} with one problem, about the prop at `path`. */
export function propError(path: PropPath | string, message: string | readonly MessagePart[]): PropError {
  return new PropError([{ path: propPath(path), message: typeof message === 'string' ? [message] : message }]);
}

/**
 * Builds a construct from props held under `prefix` of the caller's props; a {@link PropError} it throws is
 * re-thrown with paths from the caller's props.
 */
export function withinProp<T>(prefix: PropPath | string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof PropError) throw error.within(propPath(prefix));
    throw error;
  }
}
