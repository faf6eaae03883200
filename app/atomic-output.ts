import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Writes a whole output directory or nothing: `write` fills a staging directory beside `outdir`, which replaces
 * `outdir` only when `write` returned. On an error the staging directory is removed and `outdir` is untouched.
 * @returns the absolute path of `outdir`
 */
export function writeDirectoryAtomically(outdir: string, write: (staging: string) => void): string {
  const target = resolve(outdir);
  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(join(dirname(target), `.${basename(target)}-staging-`));
  try {
    write(staging);
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
    chmodSync(target, 0o755);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  return target;
}
