/**
 * Whether lib/ (written by `npm run build`) is at least as new as the sources it is built from, for the commands
 * that use the build instead of the sources (`npm run bench`, `npm run test:consumers`).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The folders the build reads. */
const SOURCES = ['src', 'app', 'dashboards', 'imports'];
/** What the build writes, that those commands use. */
const OUTPUTS = ['lib/index.js', 'lib/index.cjs', 'lib/index.d.ts', 'lib/app/main.js'];

/** Throws, saying what to run, when a build output is missing or older than a source file. */
export function assertBuildIsCurrent(root: string): void {
  const newestSource = Math.max(
    ...SOURCES.flatMap((dir) => readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' }).map((f) => statSync(join(root, dir, f)).mtimeMs)),
  );
  for (const output of OUTPUTS) {
    const file = join(root, output);
    if (!existsSync(file) || statSync(file).mtimeMs < newestSource) {
      throw new Error(`${output} is missing or older than the sources in ${SOURCES.join(', ')}: run \`npm run build\` first`);
    }
  }
}
