/**
 * The cluster identity of every series, and the PromQL rewriter that makes queries and rules cluster-aware.
 *
 * Each cluster's Prometheus carries `cluster: <clusterName>` as an external label. External labels are not stored
 * in the local TSDB: a leaf's own queries and rules see series without `cluster`; the label is attached when the
 * series leave the Prometheus (remote write, federation, Thanos sidecar's StoreAPI, alerts sent to Alertmanager).
 * In a central store (Amazon Managed Prometheus, Thanos, Mimir) every series carries it. So that one expression
 * is right in both places:
 * - every `by (...)` and non-empty `on (...)` list gains `cluster`: locally a no-op (no series has the label),
 *   centrally it keeps the clusters apart (a join `on (namespace, pod)` across two clusters would otherwise match
 *   pods of the same name in two clusters, and fail as many-to-many);
 * - dashboards also gain a `cluster=~"$cluster"` matcher on every selector; the variable's All value is `.*`, which
 *   also matches a series without the label, so a leaf's Grafana on its own Prometheus shows everything.
 * @module
 */

/** The label naming the cluster a series comes from (a Prometheus external label, a field of every log record). */
export const CLUSTER_LABEL = 'cluster';

/** The cluster name when none is given (OpenCost's own default cluster id). */
export const DEFAULT_CLUSTER_NAME = 'default-cluster';

/** Options of {@link clusterScoped}. */
export interface ClusterScopeOptions {
  /** Label added to every `by (...)` and non-empty `on (...)` list. @default {@link CLUSTER_LABEL} */
  readonly label?: string;
  /**
   * A matcher added to every selector, e.g. `cluster=~"$cluster"` (dashboards). Selectors that already match
   * on the label are left as written.
   * @default none: selectors are left as written (rules)
   */
  readonly matcher?: string;
}

type TokenKind = 'space' | 'string' | 'number' | 'ident' | 'variable' | 'punct';
interface Token {
  readonly kind: TokenKind;
  readonly text: string;
}

/** PromQL keywords that are neither metric names nor functions. */
const KEYWORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'atan2', 'inf', 'nan']);
/** Keywords followed by a label list in parentheses. */
const LABEL_LIST_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
/** Label lists that gain the cluster label. */
const GROUPING_KEYWORDS = new Set(['by', 'on']);

const TOKEN_PATTERNS: readonly (readonly [TokenKind, RegExp])[] = [
  ['space', /^(?:\s+|#[^\n]*)/],
  ['string', /^(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)/],
  // Grafana template variables: $name, ${name}, ${name:format}, [[name]].
  ['variable', /^(?:\$\{[^}]*\}|\$[A-Za-z0-9_]+|\[\[[A-Za-z0-9_]+\]\])/],
  // Numbers, hex numbers and durations (`5m`, `1h30m`).
  ['number', /^(?:0[xX][0-9a-fA-F]+|[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?(?:(?:ms|[smhdwy])(?:[0-9]+(?:ms|[smhdwy]))*)?)/],
  ['ident', /^[A-Za-z_:][A-Za-z0-9_:]*/],
  ['punct', /^(?:==|!=|=~|!~|>=|<=|[-+*/%^<>=,(){}[\]:@])/],
];

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let rest = expr;
  while (rest.length > 0) {
    const match = TOKEN_PATTERNS.map(([kind, re]) => [kind, re.exec(rest)?.[0]] as const).find(([, text]) => text !== undefined && text !== '');
    if (!match) throw new Error(`cannot read PromQL at '${rest.slice(0, 20)}' in: ${expr}`);
    tokens.push({ kind: match[0], text: match[1]! });
    rest = rest.slice(match[1]!.length);
  }
  return tokens;
}

/**
 * `expr` with the cluster label added to its grouping (`by`, `on`) and, with `options.matcher`, to every selector.
 * Works on the token level (strings, Grafana variables, durations and comments are kept as written); the tests
 * hold the result against the Prometheus UI's own PromQL grammar for every dashboard query and rule.
 */
export function clusterScoped(expr: string, options: ClusterScopeOptions = {}): string {
  const label = options.label ?? CLUSTER_LABEL;
  const tokens = tokenize(expr);
  const next = (i: number): number => {
    let j = i + 1;
    while (j < tokens.length && tokens[j]!.kind === 'space') j++;
    return j;
  };
  const out: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!;
    if (token.kind === 'ident' && LABEL_LIST_KEYWORDS.has(token.text.toLowerCase())) {
      const open = next(i);
      if (tokens[open]?.text !== '(') {
        out.push(token.text);
        i++;
        continue;
      }
      const close = tokens.findIndex((t, k) => k > open && t.text === ')');
      if (close < 0) throw new Error(`unclosed label list after '${token.text}' in: ${expr}`);
      const names = tokens.slice(open + 1, close).filter((t) => t.kind === 'ident').map((t) => t.text);
      out.push(...tokens.slice(i, close).map((t) => t.text));
      if (GROUPING_KEYWORDS.has(token.text.toLowerCase()) && names.length > 0 && !names.includes(label)) out.push(`, ${label}`);
      out.push(')');
      i = close + 1;
      continue;
    }
    if (token.text === '[') {
      // A range or subquery range (`[5m]`, `[$__range:5m]`): durations only.
      const close = tokens.findIndex((t, k) => k > i && t.text === ']');
      if (close < 0) throw new Error(`unclosed range in: ${expr}`);
      out.push(...tokens.slice(i, close + 1).map((t) => t.text));
      i = close + 1;
      continue;
    }
    if (token.text === '{') {
      const close = tokens.findIndex((t, k) => k > i && t.text === '}');
      if (close < 0) throw new Error(`unclosed selector in: ${expr}`);
      const inside = tokens.slice(i + 1, close);
      const names = inside.filter((t, k) => t.kind === 'ident' && /^(?:=|!=|=~|!~)$/.test(tokens[next(i + 1 + k)]?.text ?? '')).map((t) => t.text);
      out.push('{');
      if (options.matcher && !names.includes(label)) {
        out.push(options.matcher);
        if (inside.some((t) => t.kind !== 'space')) out.push(', ');
      }
      out.push(...inside.map((t) => t.text), '}');
      i = close + 1;
      continue;
    }
    out.push(token.text);
    if (options.matcher && token.kind === 'ident' && !KEYWORDS.has(token.text.toLowerCase())) {
      const after = tokens[next(i)];
      // A function or aggregation (`sum (`, `sum by (`), or a selector with matchers, is not a bare selector.
      const bare = after?.text !== '(' && after?.text !== '{' && !(after?.kind === 'ident' && /^(?:by|without)$/i.test(after.text));
      if (bare) out.push(`{${options.matcher}}`);
    }
    i++;
  }
  return out.join('');
}

/**
 * A Grafana Prometheus variable query scoped like a panel query: the selector of `label_values(selector, label)`
 * and the expression of `query_result(expr)`; other forms (`label_values(label)`, `label_names()`) as written.
 */
export function clusterScopedVariableQuery(query: string, options: ClusterScopeOptions): string {
  const labelValues = /^\s*label_values\s*\(([\s\S]*),\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$/.exec(query);
  if (labelValues) return `label_values(${clusterScoped(labelValues[1]!, options)}, ${labelValues[2]})`;
  const queryResult = /^\s*query_result\s*\(([\s\S]*)\)\s*$/.exec(query);
  if (queryResult) return `query_result(${clusterScoped(queryResult[1]!, options)})`;
  return query;
}
