/**
 * Holds the tests' strict validator (test/support/kube-validate.ts) against the strict validator in
 * `../shared/tools/kube-validate` (or `$SHARED_DIR/tools/kube-validate`): both judge the same objects, which must get
 * the same verdict and the same errors. Run it after changing either the validator or test/upstream:
 *
 *   npx tsx scripts/compare-validators.ts
 *
 * The objects: the whole stack (flux, argocd and external delivery; every component on, the MCP servers included),
 * the examples, and mutants of each (an unknown field added at every 7th object path, a string leaf turned into a
 * number), most of which are invalid.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'cdk8s';
import { stringify } from 'yaml';
import { EXAMPLES } from '../examples/examples.js';
import type { DeliveryMode } from '../src/core/chart-delivery.js';
import { testCredentials } from '../test/support/credentials.js';
import { kubeValidatePath } from '../test/support/kube-validate.js';
import { allObjects, type K8sObject, synthStack } from '../test/support/synth.js';

const SHARED = resolve(process.env.SHARED_DIR ?? join(import.meta.dirname, '..', '..', 'shared'));
const SHARED_VALIDATOR = join(SHARED, 'tools', 'kube-validate', 'kube-validate.mjs');

function objects(): K8sObject[] {
  const stack = (['flux', 'argocd', 'external'] as DeliveryMode[]).flatMap((delivery) =>
    synthStack({ delivery, mcp: { enabled: true, opensearch: { image: 'registry.example.com/opensearch-mcp-server-py:0.11.0' } }, gpuExporters: { neuron: { enabled: true } } }).objects,
  );
  const examples = Object.entries(EXAMPLES).flatMap(([name, build]) => {
    const app = new App();
    (build as (app: App, props?: object) => unknown)(app, name === 'own-app' ? { credentials: testCredentials() } : undefined);
    return allObjects(app);
  });
  const unique = new Map([...stack, ...examples].map((o) => [JSON.stringify(o), o]));
  return [...unique.values()];
}

/** The object, and one mutant per 7th object path or string leaf. */
function withMutants(object: K8sObject): unknown[] {
  const paths: (string | number)[][] = [];
  const walk = (value: unknown, path: (string | number)[]) => {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
    else if (value !== null && typeof value === 'object') {
      paths.push(path);
      for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
    } else if (typeof value === 'string' && path.length > 2) paths.push([...path, '#string']);
  };
  walk(object, []);
  return [object, ...paths.filter((_, i) => i % 7 === 0).map((path) => {
    const mutant = structuredClone(object) as Record<string | number, any>;
    const toString = path.at(-1) === '#string';
    const steps = toString ? path.slice(0, -1) : path;
    let at = mutant;
    for (const key of toString ? steps.slice(0, -1) : steps) at = at[key];
    if (toString) at[steps.at(-1)!] = 12345;
    else at.zzUnknownField = 'x';
    return mutant;
  })];
}

const all = objects().flatMap(withMutants);
const dir = mkdtempSync(join(tmpdir(), 'compare-validators-'));
mkdirSync(dir, { recursive: true });
const files = all.map((object, i) => {
  const file = join(dir, `${String(i).padStart(5, '0')}.yaml`);
  writeFileSync(file, stringify(object));
  return file;
});
// Its report goes to a file: the tool exits right after printing, which would cut a report sent through a pipe.
const report = join(mkdtempSync(join(tmpdir(), 'compare-validators-report-')), 'report.json');
const out = openSync(report, 'w');
const run = spawnSync(process.execPath, [SHARED_VALIDATOR, '--json', dir], { stdio: ['ignore', out, 'pipe'], encoding: 'utf8' });
closeSync(out);
if (run.status === 2 || run.status === null) throw new Error(`${SHARED_VALIDATOR} did not run: ${run.stderr}`);
const theirs = new Map((JSON.parse(readFileSync(report, 'utf8')) as { results: { file: string; status: string; errors: string[] }[] }).results.map((r) => [r.file, r]));

let invalid = 0;
const differences: string[] = [];
for (const file of files) {
  const ours = kubeValidatePath(file);
  const oursErrors = ours.output.split('\n').filter((l) => l.startsWith('    ')).map((l) => l.trim());
  const their = theirs.get(file)!;
  if (their.status !== 'valid') invalid++;
  if ((ours.invalid > 0) !== (their.status !== 'valid') || JSON.stringify(oursErrors) !== JSON.stringify(their.errors)) {
    differences.push(`${file}\n  ours:   ${oursErrors.join('; ') || 'valid'}\n  shared: ${their.errors.join('; ') || their.status}`);
  }
}
console.log(`compare-validators: ${files.length} objects (${invalid} invalid per the shared validator), ${differences.length} judged differently`);
for (const d of differences.slice(0, 20)) console.log(d);
process.exit(differences.length ? 1 : 0);
