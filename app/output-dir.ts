/**
 * How the app writes an output directory (dist/, or dist/examples/): all or nothing, and never over files it did not
 * write.
 *
 * - The output is synthesized into a staging directory beside the output directory first; a failure removes the
 *   staging directory and leaves the output directory byte-identical.
 * - The output directory keeps a list of the files the app wrote there ({@link OUTPUT_RECORD_FILE}). A successful
 *   synth replaces those files (and removes the ones it no longer writes); anything else in the directory (a README,
 *   `dist/examples/` from `npm run synth:examples`) is left as it is.
 * - A non-empty directory without that list, holding anything the app did not write, is refused with a message: it
 *   is somebody else's directory (`..`, a project, a folder of hand-written manifests).
 * - Files holding a Kubernetes Secret are written owner-only (0600); the others 0644.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';

/** The list of files the app wrote into an output directory (plain text, so `kubectl apply -f dist/` skips it). */
export const OUTPUT_RECORD_FILE = '.aiml-observability-files';

const RECORD_HEADER = '# Files aiml-observability wrote into this directory; the next synth replaces exactly these.';

/** Mode of an output file that holds a Secret. */
export const SECRET_FILE_MODE = 0o600;
/** Mode of the other output files. */
export const OUTPUT_FILE_MODE = 0o644;

/** Thrown for an output directory the app must not write into. */
export class OutputDirectoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputDirectoryError';
  }
}

/** What a publish did. */
export interface PublishedOutput {
  /** The output directory, absolute. */
  readonly outdir: string;
  /** The files written, relative to `outdir`, sorted. */
  readonly files: readonly string[];
  /** Files of the previous synth that this one no longer writes, removed. */
  readonly removed: readonly string[];
  /** Entries of `outdir` (top level) that the app did not write and left alone. */
  readonly kept: readonly string[];
}

/** The files the app recorded writing into `dir`, or undefined when `dir` has no record. */
export function readOutputRecord(dir: string): string[] | undefined {
  const path = join(dir, OUTPUT_RECORD_FILE);
  if (!existsSync(path)) return undefined;
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Every file under `dir`, relative to it, sorted (the record file left out). */
function filesUnder(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...filesUnder(join(dir, entry.name), path));
    else if (path !== OUTPUT_RECORD_FILE) out.push(path);
  }
  return out.sort();
}

/**
 * Whether everything in `dir` was written by the app: it has a record, or it is empty, or it holds only directories
 * that are (e.g. `dist/` holding only `dist/examples/`). Returns the first entry that is not, or undefined.
 */
function foreignEntry(dir: string): string | undefined {
  if (readOutputRecord(dir) !== undefined) return undefined;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) return entry.name;
    const inner = foreignEntry(join(dir, entry.name));
    if (inner !== undefined) return `${entry.name}/${inner}`;
  }
  return undefined;
}

/** Whether a manifest file holds a Kubernetes Secret. */
export function holdsSecret(text: string): boolean {
  return /^kind: Secret$/m.test(text);
}

/**
 * Checks that the app may write into `outdir`; returns the files it wrote there before (none for a new or empty
 * directory). Throws an {@link OutputDirectoryError} for a file, or for a directory holding files it did not write.
 */
export function claimOutputDirectory(outdir: string): string[] {
  const target = resolve(outdir);
  const stat = lstatSync(target, { throwIfNoEntry: false });
  if (!stat) return [];
  if (stat.isSymbolicLink() || !stat.isDirectory()) {
    throw new OutputDirectoryError(`${target} is not a directory: name a directory for the output (a new one is created)`);
  }
  const recorded = readOutputRecord(target);
  if (recorded !== undefined) return recorded;
  const foreign = foreignEntry(target);
  if (foreign !== undefined) {
    throw new OutputDirectoryError(
      `${target} is not empty and was not written by this app (it holds ${join(target, foreign)}, and no ${OUTPUT_RECORD_FILE} list of files the app wrote): ` +
        'the synth only replaces files it wrote before, so it does not write into a directory it did not create. ' +
        'Choose a new or empty directory (AIML_OBS_OUTDIR=<dir>), or move its contents away.',
    );
  }
  return [];
}

/**
 * Writes an output directory all or nothing, replacing only the files the app wrote there before: `write` fills a
 * staging directory; when it returns, its files are moved into `outdir` and the record updated. On an error nothing
 * in `outdir` has changed. See the module comment for the rules.
 */
export function publishOutput(outdir: string, write: (staging: string) => void): PublishedOutput {
  const target = resolve(outdir);
  const previous = claimOutputDirectory(target);
  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(join(dirname(target), `.${basename(target)}-staging-`));
  try {
    write(staging);
    const files = filesUnder(staging);
    for (const file of files) {
      const path = join(staging, file);
      chmodSync(path, holdsSecret(readFileSync(path, 'utf8')) ? SECRET_FILE_MODE : OUTPUT_FILE_MODE);
    }
    // Checked again right before the move: another synth may have written the directory meanwhile.
    const before = claimOutputDirectory(target);
    if (before.join('\n') !== previous.join('\n')) throw new OutputDirectoryError(`${target} changed while the synth ran: run it again`);
    const recorded = new Set(before);
    const clash = files.find((file) => !recorded.has(file) && existsSync(join(target, file)));
    if (clash !== undefined) {
      throw new OutputDirectoryError(`${join(target, clash)} exists and was not written by this app: move it away, the synth writes a file of that name`);
    }
    mkdirSync(target, { recursive: true });
    for (const file of files) {
      mkdirSync(dirname(join(target, file)), { recursive: true });
      renameSync(join(staging, file), join(target, file));
    }
    const written = new Set(files);
    const removed = previous.filter((file) => !written.has(file) && isInside(target, file));
    for (const file of removed) removeRecordedFile(target, file);
    writeRecord(target, files);
    const kept = readdirSync(target)
      .filter((name) => name !== OUTPUT_RECORD_FILE && !files.some((file) => file === name || file.startsWith(`${name}/`)))
      .sort();
    return { outdir: target, files, removed, kept };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function isInside(dir: string, file: string): boolean {
  const path = resolve(dir, file);
  return path.startsWith(`${dir}${sep}`) && !relative(dir, path).startsWith('..');
}

/** Removes a file the app wrote before, and the directories it leaves empty (up to `dir`). */
function removeRecordedFile(dir: string, file: string): void {
  const path = resolve(dir, file);
  if (!lstatSync(path, { throwIfNoEntry: false })?.isFile()) return;
  unlinkSync(path);
  for (let parent = dirname(path); parent !== dir && parent.startsWith(`${dir}${sep}`); parent = dirname(parent)) {
    if (readdirSync(parent).length > 0) break;
    rmdirSync(parent);
  }
}

function writeRecord(dir: string, files: readonly string[]): void {
  const temporary = join(dir, `${OUTPUT_RECORD_FILE}.${process.pid}.tmp`);
  writeFileSync(temporary, `${RECORD_HEADER}\n${files.join('\n')}\n`, { mode: OUTPUT_FILE_MODE });
  renameSync(temporary, join(dir, OUTPUT_RECORD_FILE));
}
