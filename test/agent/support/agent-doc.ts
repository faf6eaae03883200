/** The generated parts of docs/agent.md (test code): the playbooks section, from the knowledge the prompt is made of. */
import type { StackKnowledge } from '../../../src/agent/system-prompt.js';

export const PLAYBOOK_MARKERS = /(<!-- playbooks:start[^>]*-->\n)([\s\S]*?)(<!-- playbooks:end -->)/;

/** Markdown of the playbooks: what each looks at, in order, with its queries. */
export function playbooksMarkdown(knowledge: StackKnowledge): string {
  const out: string[] = [];
  for (const p of knowledge.playbooks) {
    out.push(`#### ${p.title} (\`${p.id}\`, dashboard \`/d/${p.dashboardUid}\`)`, '', `Asked as: ${p.triggers.map((t) => `"${t}"`).join(', ')}.`, '');
    out.push('| # | Looks at | Server | Query or request |', '|---|---|---|---|');
    p.steps.forEach((s, i) => out.push(`| ${i + 1} | ${s.purpose.replace(/\|/g, '\\|')} | ${s.server} | ${s.promql ? `\`${s.promql.replace(/\|/g, '\\|')}\`` : s.request} |`));
    out.push('', `A right answer: ${p.answer}`, '');
  }
  return out.join('\n');
}
