import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { SHARED_DIR } from './helm-values.js';
import type { K8sObject } from './synth.js';

/** Result of the shared strict validator (unknown fields are errors, as with kubectl --validate=strict). */
export interface ValidationResult {
  readonly invalid: number;
  readonly output: string;
}

/** Runs ../shared/tools/kube-validate on a file or directory. */
export function kubeValidatePath(path: string): ValidationResult {
  const result = spawnSync(process.execPath, [join(SHARED_DIR, 'tools', 'kube-validate', 'kube-validate.mjs'), path], { encoding: 'utf8' });
  const output = `${result.stdout}${result.stderr}`;
  const match = /(\d+) invalid/.exec(output);
  if (result.status === 2 || !match) throw new Error(`kube-validate did not run: ${output}`);
  return { invalid: Number(match[1]), output };
}

/** Writes objects to a temporary multi-document YAML file and validates it. */
export function kubeValidate(objects: K8sObject[]): ValidationResult {
  const file = join(mkdtempSync(join(tmpdir(), 'kube-validate-')), 'objects.yaml');
  writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
  return kubeValidatePath(file);
}
