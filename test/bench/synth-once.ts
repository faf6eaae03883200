/**
 * One synth of the full stack into a temporary directory, as `npx cdk8s synth` runs it; prints its peak RSS.
 * Run by synth-bench.ts in a fresh process per measurement.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesize } from '../../src/main.js';

const mode = process.argv[2] ?? 'flux';
const dir = mkdtempSync(join(tmpdir(), 'obs-bench-'));
try {
  writeFileSync(join(dir, 'observability.yaml'), `charts:\n  delivery: ${mode}\nmcp:\n  enabled: true\n`);
  let files: string[];
  try {
    files = synthesize('dist', {}, dir);
  } catch {
    // Before the MCP servers exist the config key is unknown: bench the stack without it.
    writeFileSync(join(dir, 'observability.yaml'), `charts:\n  delivery: ${mode}\n`);
    files = synthesize('dist', {}, dir);
  }
  process.stdout.write(JSON.stringify({ files: files.length, maxRssKiB: process.resourceUsage().maxRSS }) + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
