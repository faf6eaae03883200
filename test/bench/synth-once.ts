/**
 * One synth of the full stack, as `npx cdk8s synth` runs it, in the project directory given as argument (its
 * observability.yaml and credentials file are reused between runs, as on a user's machine); prints peak RSS.
 * Run by synth-bench.ts in a fresh process per measurement.
 */
import { synthesize } from '../../app/main.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: synth-once.ts <project dir>');
const files = synthesize('dist', {}, dir);
process.stdout.write(JSON.stringify({ files: files.length, maxRssKiB: process.resourceUsage().maxRSS }) + '\n');
