/**
 * "Raw" versions of queries (test code, for the bench): every reference to a recording rule's output is replaced
 * by the rule's own expression, so the bench can time what a panel would cost without our recording rules.
 *
 * `record{m1, m2}` becomes `(expr)` with m1, m2 added to every selector inside `expr` (exact for the matchers
 * dashboards use: labels the rule keeps from its inputs); inside a range selector `record{...}[d]` becomes a
 * subquery `(expr)[d:]`. Repeated until no recorded name is left (rules built on rules).
 */
import { parser } from '@prometheus-io/lezer-promql';

interface Edit {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.from - a.from)) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return out;
}

/** Adds label matchers (as written, e.g. `namespace="x"`) to every vector selector of an expression. */
export function addMatchers(expr: string, matchers: readonly string[]): string {
  if (matchers.length === 0) return expr;
  const edits: Edit[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.name !== 'VectorSelector') return;
      const braces = node.node.getChild('LabelMatchers');
      if (braces) {
        const inner = expr.slice(braces.from + 1, braces.to - 1).trim();
        edits.push({ from: braces.from, to: braces.to, text: `{${[inner, ...matchers].filter((s) => s !== '').join(', ')}}` });
      } else {
        const id = node.node.getChild('Identifier');
        if (id) edits.push({ from: id.to, to: id.to, text: `{${matchers.join(', ')}}` });
      }
    },
  });
  return applyEdits(expr, edits);
}

/** Replaces recorded series by their rules' expressions (records: name -> expressions recording it). */
export function inlineRecords(expr: string, records: Readonly<Record<string, readonly string[]>>, maxDepth = 6): string {
  let current = expr;
  for (let depth = 0; depth < maxDepth; depth++) {
    const edits: Edit[] = [];
    parser.parse(current).iterate({
      enter(node) {
        if (node.name !== 'VectorSelector') return;
        const id = node.node.getChild('Identifier');
        const name = id ? current.slice(id.from, id.to) : undefined;
        const definitions = name ? records[name] : undefined;
        if (!definitions) return;
        const braces = node.node.getChild('LabelMatchers');
        const matchers = braces ? (braces.node.getChildren('UnquotedLabelMatcher').concat(braces.node.getChildren('QuotedLabelMatcher'))).map((m) => current.slice(m.from, m.to)) : [];
        const body = definitions.map((d) => `(${addMatchers(d, matchers)})`).join(' or ');
        const parent = node.node.parent;
        if (parent?.name === 'MatrixSelector') {
          const range = current.slice(node.to, parent.to); // "[5m]"
          edits.push({ from: parent.from, to: parent.to, text: `(${body})${range.replace(/\]\s*$/, ':]')}` });
        } else {
          edits.push({ from: node.from, to: node.to, text: `(${body})` });
        }
        return false;
      },
    });
    if (edits.length === 0) return current;
    current = applyEdits(current, edits);
  }
  return current;
}
