/**
 * Prometheus relabeling semantics in TypeScript (test code), for the bench's backfill, which must give every
 * backfilled sample the labels the live scrape gives it (target labels merged with honor_labels semantics, then
 * metric_relabel_configs). The bench checks the result against the series the real Prometheus ingested.
 *
 * Regexes are fully anchored as in Prometheus; RE2 `(?P<name>...)` groups are accepted. Replacement expansion
 * follows Go's Regexp.Expand (`$1`, `${1}`, `$name`, `${name}`, `$$`; `$1x` names a group "1x").
 */
import { createHash } from 'node:crypto';

/** A relabel config as written in a Prometheus configuration file. */
export interface RelabelConfig {
  readonly source_labels?: readonly string[];
  readonly separator?: string;
  readonly target_label?: string;
  readonly regex?: string;
  readonly modulus?: number;
  readonly replacement?: string;
  readonly action?: string;
}

type LabelMap = Map<string, string>;

const regexCache = new Map<string, RegExp>();

function compile(regex: string): RegExp {
  let re = regexCache.get(regex);
  if (!re) {
    re = new RegExp(`^(?:${regex.replace(/\(\?P</g, '(?<')})$`, 's');
    regexCache.set(regex, re);
  }
  return re;
}

/** Go's Regexp.Expand of `template` with the groups of `match`. */
export function expand(template: string, match: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = template[i + 1];
    if (next === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string;
    if (next === '{') {
      const end = template.indexOf('}', i + 2);
      if (end < 0) {
        out += c;
        continue;
      }
      name = template.slice(i + 2, end);
      i = end;
    } else {
      const m = /^[A-Za-z0-9_]+/.exec(template.slice(i + 1));
      if (!m) {
        out += c;
        continue;
      }
      name = m[0];
      i += name.length;
    }
    if (/^\d+$/.test(name)) out += match[Number(name)] ?? '';
    else out += match.groups?.[name] ?? '';
  }
  return out;
}

function isValidLabelName(name: string): boolean {
  return /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name);
}

function hashMod(value: string, modulus: number): number {
  const digest = createHash('md5').update(value).digest();
  return Number(digest.readBigUInt64BE(8) % BigInt(modulus));
}

/** Applies relabel configs to a label set; returns undefined when the set is dropped. */
export function relabel(labels: Readonly<Record<string, string>>, configs: readonly RelabelConfig[]): Record<string, string> | undefined {
  const lb: LabelMap = new Map(Object.entries(labels));
  for (const cfg of configs) {
    const action = (cfg.action ?? 'replace').toLowerCase();
    const separator = cfg.separator ?? ';';
    const regex = compile(cfg.regex ?? '(.*)');
    const replacement = cfg.replacement ?? '$1';
    const value = (cfg.source_labels ?? []).map((l) => lb.get(l) ?? '').join(separator);
    switch (action) {
      case 'drop':
        if (regex.test(value)) return undefined;
        break;
      case 'keep':
        if (!regex.test(value)) return undefined;
        break;
      case 'dropequal':
        if (lb.get(cfg.target_label!) === value) return undefined;
        break;
      case 'keepequal':
        if (lb.get(cfg.target_label!) !== value) return undefined;
        break;
      case 'replace': {
        const match = regex.exec(value);
        if (!match) break;
        const target = expand(cfg.target_label ?? '', match);
        if (!isValidLabelName(target)) break;
        const result = expand(replacement, match);
        if (result === '') lb.delete(target);
        else lb.set(target, result);
        break;
      }
      case 'lowercase':
        lb.set(cfg.target_label!, value.toLowerCase());
        break;
      case 'uppercase':
        lb.set(cfg.target_label!, value.toUpperCase());
        break;
      case 'hashmod':
        lb.set(cfg.target_label!, String(hashMod(value, cfg.modulus ?? 1)));
        break;
      case 'labelmap':
        for (const [name, v] of [...lb]) {
          const match = regex.exec(name);
          if (match) lb.set(expand(replacement, match), v);
        }
        break;
      case 'labeldrop':
        for (const name of [...lb.keys()]) if (regex.test(name)) lb.delete(name);
        break;
      case 'labelkeep':
        for (const name of [...lb.keys()]) if (!regex.test(name)) lb.delete(name);
        break;
      default:
        throw new Error(`relabel: unknown action '${action}'`);
    }
  }
  const out: Record<string, string> = {};
  for (const [k, v] of lb) if (v !== '') out[k] = v;
  return out;
}

/**
 * Labels of a scraped sample as Prometheus stores them: the target's labels merged into the sample's (with
 * honor_labels false, clashing sample labels are kept as `exported_<name>`; with true, the sample's win),
 * then metric_relabel_configs. Undefined when a metric relabeling drops the sample.
 */
export function scrapedLabels(
  sample: Readonly<Record<string, string>>,
  targetLabels: Readonly<Record<string, string>>,
  honorLabels: boolean,
  metricRelabelConfigs: readonly RelabelConfig[],
): Record<string, string> | undefined {
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries(sample)) if (v !== '') merged[k] = v;
  for (const [name, value] of Object.entries(targetLabels)) {
    if (name.startsWith('__')) continue;
    if (honorLabels) {
      if (!(name in merged)) merged[name] = value;
      continue;
    }
    if (name in merged) {
      let exported = `exported_${name}`;
      while (exported in merged) exported = `exported_${exported}`;
      merged[exported] = merged[name]!;
    }
    merged[name] = value;
  }
  for (const k of Object.keys(merged)) if (merged[k] === '') delete merged[k];
  return metricRelabelConfigs.length === 0 ? merged : relabel(merged, metricRelabelConfigs);
}
