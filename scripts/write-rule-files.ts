/**
 * Writes every PrometheusRule of the whole stack (flux delivery, every component on) to `<dir>/<name>.yaml`, the
 * rule files promtool reads: `npx tsx scripts/write-rule-files.ts /tmp/rules`.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeRuleFiles } from '../test/support/rule-files.js';
import { synthStack } from '../test/support/synth.js';

const dir = resolve(process.argv[2] ?? 'rules-out');
mkdirSync(dir, { recursive: true });
const { ruleFiles } = writeRuleFiles(synthStack({ gpuExporters: { neuron: { enabled: true } } }).objects, dir);
process.stdout.write(`${ruleFiles.map((f) => `${dir}/${f}`).join('\n')}\n`);
