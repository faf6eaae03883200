/**
 * `npm run synth:examples`: synthesizes every example app into `dist/examples/<name>/`, all or nothing. Each app
 * is synthesized into a staging folder first; the files in `dist/examples` are replaced only when every example
 * succeeded, so a failure leaves the previous output untouched, and only files this script wrote there before are
 * replaced (app/output-dir.ts). `npx cdk8s synth` leaves `dist/examples/` alone, and this script leaves `dist/`'s
 * own files alone.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'cdk8s';
import { publishOutput } from '../app/output-dir.js';
import { EXAMPLES, EXAMPLES_OUTDIR, type ExampleName } from './examples.js';
import { EXAMPLE_APP_OUTPUT } from './shared/entry-point.js';

/** Files written per example, by example name. */
export type SynthesizedExamples = Record<ExampleName, string[]>;

/** Synthesizes `examples` (default: all) into `<outdir>/<name>/`, replacing the files it wrote there only when all succeeded. */
export function synthesizeExamples(outdir: string = EXAMPLES_OUTDIR, examples: Partial<typeof EXAMPLES> = EXAMPLES): SynthesizedExamples {
  const written = {} as SynthesizedExamples;
  publishOutput(outdir, (staging) => {
    for (const [name, build] of Object.entries(examples) as [ExampleName, (app: App) => unknown][]) {
      const app = new App({ ...EXAMPLE_APP_OUTPUT, outdir: join(staging, name) });
      try {
        build(app);
        app.synth();
      } catch (error) {
        throw new Error(`example '${name}': ${(error as Error).message}`);
      }
      written[name] = readdirSync(join(staging, name)).sort();
    }
  });
  return written;
}

const entry = process.argv[1];
if (entry !== undefined && resolve(entry) === fileURLToPath(import.meta.url)) {
  try {
    const outdir = process.env.EXAMPLES_OUTDIR ?? EXAMPLES_OUTDIR;
    const written = synthesizeExamples(outdir);
    for (const [name, files] of Object.entries(written)) {
      process.stdout.write(`${outdir}/${name}/: ${files.join(", ")}\n`);
    }
  } catch (error) {
    process.stderr.write(`synth:examples failed: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
