/**
 * `npm run bench`: what a user waits for and downloads.
 * - Synth: wall time of the real `npx cdk8s synth` in this repository (the CLI runs cdk8s.yaml's compiled app,
 *   lib/app/main.js), full stack (every component, MCP servers included), `external` and `flux` delivery, median
 *   of 5, with the CLI's upgrade check off (CDK8S_CHECK_UPGRADE=false: the check needs the network); the CPU time
 *   of its Node processes added up (a steadier figure than wall time on a shared machine) and the peak RSS of the
 *   largest. The first synth of a project also generates its credentials and their
 *   bcrypt hashes (cost 12); it is reported apart, the measured runs reuse them as every later synth does.
 * - Package: size and file count of `npm pack`.
 * Needs `npm run build` (npm ci runs it). Targets on the 2-core CI machine: synth < 1.5 s and < 300 MB.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuildIsCurrent } from '../../scripts/build-freshness.js';
import { MIN_OPENSEARCH_MCP_VERSION } from '../../src/mcp/mcp-images.js';

const RUNS = 5;
const TARGET_MS = 1500;
const TARGET_MB = 300;
// A placeholder image name: nothing is pulled, the manifests are only synthesized.
const MCP_OPENSEARCH_IMAGE = `registry.example.com/opensearch-mcp-server-py:${MIN_OPENSEARCH_MCP_VERSION}`;
const root = join(import.meta.dirname, '..', '..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

assertBuildIsCurrent(root);
const work = mkdtempSync(join(tmpdir(), 'obs-bench-'));
// Every Node process of the command (npx, the CLI, the app) appends its peak RSS and CPU time here when it exits.
const rssFile = join(work, 'rss.log');
const rssHook = join(work, 'rss-hook.cjs');
writeFileSync(
  rssHook,
  `process.on('exit', () => { const u = process.resourceUsage(); ` +
    `require('fs').appendFileSync(${JSON.stringify(rssFile)}, u.maxRSS + ' ' + (u.userCPUTime + u.systemCPUTime) + '\\n'); });\n`,
);

/** One `npx cdk8s synth` with `config`: wall time, CPU time, and the peak RSS of its largest Node process. */
function synth(config: string, outdir: string): { ms: number; cpuMs: number; mb: number } {
  writeFileSync(rssFile, '');
  const start = process.hrtime.bigint();
  const child = spawnSync('npx', ['cdk8s', 'synth'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', AIML_OBS_CONFIG: config, AIML_OBS_OUTDIR: outdir, NODE_OPTIONS: `--require ${rssHook}` },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) throw new Error(`npx cdk8s synth failed:\n${child.stdout}\n${child.stderr}`);
  const processes = readFileSync(rssFile, 'utf8').trim().split('\n').map((line) => line.split(' ').map(Number) as [number, number]);
  return { ms, cpuMs: processes.reduce((sum, [, cpu]) => sum + cpu, 0) / 1000, mb: Math.max(...processes.map(([rss]) => rss)) / 1024 };
}

let over = false;
try {
  for (const mode of ['external', 'flux']) {
    const config = join(work, `${mode}.yaml`);
    writeFileSync(
      config,
      `charts:\n  delivery: ${mode}\ncredentials:\n  file: ${join(work, `${mode}-credentials.json`)}\n` +
        `mcp:\n  enabled: true\n  opensearch:\n    image: ${MCP_OPENSEARCH_IMAGE}\n`,
    );
    const outdir = join(work, `dist-${mode}`);
    const first = synth(config, outdir);
    const runs = Array.from({ length: RUNS }, () => synth(config, outdir));
    const ms = median(runs.map((r) => r.ms));
    const mb = median(runs.map((r) => r.mb));
    const cpuMs = median(runs.map((r) => r.cpuMs));
    const ok = ms < TARGET_MS && mb < TARGET_MB;
    over ||= !ok;
    console.log(
      `bench npx cdk8s synth ${mode.padEnd(8)} median of ${RUNS}: ${ms.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU, ${mb.toFixed(0)} MB peak RSS ` +
        `(target < ${TARGET_MS} ms, < ${TARGET_MB} MB) ${ok ? 'ok' : 'OVER TARGET'}; first synth of the project: ${first.ms.toFixed(0)} ms`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' })) as Array<{
  size: number;
  unpackedSize: number;
  entryCount: number;
}>;
console.log(`bench npm pack: ${(pack!.size / 1000).toFixed(1)} kB in ${pack!.entryCount} files (${(pack!.unpackedSize / 1e6).toFixed(1)} MB unpacked)`);
if (over) console.log('bench: over target (reported, not failing CI: timings depend on the machine and its load)');
