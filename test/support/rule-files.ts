/**
 * Rule files for promtool: every PrometheusRule of a synthesized stack, written as `<metadata.name>.yaml` (its
 * spec, which is a Prometheus rule file) into one directory, next to copies of test/rules/promtool/*.yaml.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { K8sObject } from './synth.js';

/** Where the promtool unit-test files live. */
export const PROMTOOL_TESTS_DIR = fileURLToPath(new URL('../rules/promtool/', import.meta.url));

/** The promtool binary: $PROMTOOL, else /usr/bin/promtool, else `promtool` on PATH. */
export function promtoolPath(): string | undefined {
  const candidates = [process.env.PROMTOOL, '/usr/bin/promtool', '/usr/local/bin/promtool'].filter((c): c is string => !!c);
  const found = candidates.find((c) => existsSync(c));
  if (found) return found;
  const which = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : undefined;
}

/** Runs promtool; returns exit status and combined output. */
export function promtool(args: string[], cwd: string): { status: number; output: string } {
  const binary = promtoolPath();
  if (!binary) throw new Error('promtool not found: install it (Debian: apt-get install -y prometheus) or set $PROMTOOL');
  const result = spawnSync(binary, args, { cwd, encoding: 'utf8' });
  return { status: result.status ?? -1, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** Writes every PrometheusRule's spec to `<dir>/<metadata.name>.yaml`; returns the file names (sorted). */
export function writeRuleFiles(objects: readonly K8sObject[], dir = mkdtempSync(join(tmpdir(), 'promtool-'))): { dir: string; ruleFiles: string[] } {
  const rules = objects.filter((o) => o.kind === 'PrometheusRule');
  const ruleFiles: string[] = [];
  for (const rule of rules) {
    const file = `${rule.metadata.name}.yaml`;
    if (ruleFiles.includes(file)) throw new Error(`two PrometheusRules are named ${rule.metadata.name}`);
    writeFileSync(join(dir, file), stringify(rule.spec, { lineWidth: 0 }));
    ruleFiles.push(file);
  }
  return { dir, ruleFiles: ruleFiles.sort() };
}

/** Copies test/rules/promtool/*.yaml into `dir`; returns their names (sorted). */
export function copyPromtoolTests(dir: string): string[] {
  const tests = readdirSync(PROMTOOL_TESTS_DIR).filter((f) => f.endsWith('.yaml')).sort();
  for (const test of tests) copyFileSync(join(PROMTOOL_TESTS_DIR, test), join(dir, `test-${test}`));
  return tests.map((t) => `test-${t}`);
}
