/**
 * `npm run bench`: wall time and peak RSS of synthesizing the full stack in a fresh Node process (as
 * `npx cdk8s synth` does, without npx's own start-up), for the `external` and `flux` modes, median of 5.
 * Targets on the 2-core CI machine: under 1.5 s and 300 MB.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const RUNS = 5;
const TARGET_MS = 1500;
const TARGET_MB = 300;
const once = join(import.meta.dirname, 'synth-once.ts');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

let failed = false;
for (const mode of ['external', 'flux']) {
  const times: number[] = [];
  const rss: number[] = [];
  spawnSync(process.execPath, ['--import', 'tsx', once, mode]); // warm the transpile cache
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, ['--import', 'tsx', once, mode], { encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (run.status !== 0) throw new Error(`synth (${mode}) failed: ${run.stderr}`);
    times.push(ms);
    rss.push(JSON.parse(run.stdout.trim().split('\n').pop()!).maxRssKiB / 1024);
  }
  const ms = median(times);
  const mb = median(rss);
  const ok = ms < TARGET_MS && mb < TARGET_MB;
  failed ||= !ok;
  console.log(`bench synth ${mode.padEnd(8)} median of ${RUNS}: ${ms.toFixed(0)} ms wall, ${mb.toFixed(0)} MB peak RSS  (target < ${TARGET_MS} ms, < ${TARGET_MB} MB) ${ok ? 'ok' : 'OVER TARGET'}`);
}
if (failed) console.log('bench: over target (reported, not failing CI: timings depend on the machine)');
