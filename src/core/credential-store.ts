import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { msg, type PropPath, propError, propList } from './prop-error.js';

/** Where generated credentials are kept between synths, relative to the working directory. */
export const DEFAULT_CREDENTIALS_FILE = '.aiml-observability/credentials.json';

/**
 * Source of passwords that nobody typed: generated once, then kept so the next synth reuses them and the
 * output stays byte-identical. Implementations decide where they are kept.
 */
export interface CredentialStore {
  /**
   * The credential stored under `key`, generated (and kept) on first use.
   * @param key a stable name, e.g. `grafana/admin-password`
   */
  getOrCreate(key: string): string;
  /**
   * A value derived from credentials and kept beside them (e.g. a bcrypt hash, slow to compute on purpose),
   * or undefined when none is kept under `key`. Optional: a store without it makes callers recompute.
   */
  recall?(key: string): string | undefined;
  /** Keeps a derived value under `key` for {@link recall}. */
  remember?(key: string, value: string): void;
}

/**
 * The store a construct generates `what` with. Constructs have no store of their own (keeping passwords is the
 * caller's choice, and writing a file is a side effect), so without one this throws a PropError naming the
 * `credentials` prop and `instead`: the props that would make generating unnecessary.
 */
export function requireCredentialStore(store: CredentialStore | undefined, what: string, instead: readonly PropPath[]): CredentialStore {
  if (store) return store;
  throw propError(
    'credentials',
    msg`is needed to generate the ${what} and keep it for the next synth: pass a CredentialStore (a FileCredentialStore, or a MemoryCredentialStore for a one-off synth), or set ${propList(instead, ' or ')}`,
  );
}

/** A random password of `bytes` random bytes, URL-safe base64 (no characters that need quoting). */
export function generatePassword(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

/** Props of {@link FileCredentialStore}. */
export interface FileCredentialStoreProps {
  /**
   * The state file (JSON, mode 0600). Keep it out of git: the repository's `.gitignore` lists the default.
   * @default ".aiml-observability/credentials.json" in the working directory
   */
  readonly path?: string;
}

/**
 * The key a credentials file carries to say it is one: a file without it (and without the shape of one written
 * before the marker existed) is somebody else's file, which the store refuses to read or rewrite.
 */
export const CREDENTIALS_FILE_MARKER = 'written-by';
const MARKER_VALUE = 'aiml-observability: generated credentials, reused by the next synth; keep this file out of git';

/**
 * Keeps generated credentials in a local, git-ignored JSON file. The file is written only when a credential
 * is generated, atomically (write to a temporary file, then rename). A file that is not a credentials file of this
 * library (no marker, and not the shape of one) is refused, never rewritten.
 */
export class FileCredentialStore implements CredentialStore {
  /** Absolute path of the state file. */
  public readonly path: string;
  readonly #generated: string[] = [];
  private cache: Record<string, string> | undefined;

  constructor(props: FileCredentialStoreProps = {}) {
    this.path = resolve(props.path ?? DEFAULT_CREDENTIALS_FILE);
  }

  /** Names (never values) of the credentials this store generated, in the order it generated them. */
  public get generated(): readonly string[] {
    return [...this.#generated];
  }

  public getOrCreate(key: string): string {
    const existing = this.load()[key];
    if (existing !== undefined) return existing;
    const created = generatePassword();
    this.remember(key, created);
    this.#generated.push(key);
    return created;
  }

  public recall(key: string): string | undefined {
    return this.load()[key];
  }

  public remember(key: string, value: string): void {
    const all = this.load();
    if (all[key] === value) return;
    this.cache = { ...all, [key]: value };
    this.save(this.cache);
  }

  private load(): Record<string, string> {
    if (this.cache) return this.cache;
    const stat = statSync(this.path, { throwIfNoEntry: false });
    if (!stat) return (this.cache = {});
    if (!stat.isFile()) throw new Error(`credentials file ${this.path} is not a file: name a JSON file (it is created on the first synth)`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch (error) {
      throw new Error(`credentials file ${this.path} is not valid JSON (${(error as Error).message}); fix or delete it`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) ||
        Object.values(parsed).some((v) => typeof v !== 'string')) {
      throw new Error(`credentials file ${this.path} must be a JSON object of strings; fix or delete it`);
    }
    const { [CREDENTIALS_FILE_MARKER]: marker, ...entries } = parsed as Record<string, string>;
    // Files written before the marker existed hold only credential names, which are paths (`<namespace>/<component>/<name>`).
    const foreign = Object.keys(entries).find((name) => !name.includes('/'));
    if (marker !== MARKER_VALUE && (marker !== undefined || foreign !== undefined)) {
      throw new Error(
        `${this.path} is not a credentials file of aiml-observability (no "${CREDENTIALS_FILE_MARKER}" marker${foreign !== undefined ? `, and ${JSON.stringify(foreign)} is not a credential name` : ''}): ` +
          'it is left as it is; point the credentials file at a file of its own (the default is .aiml-observability/credentials.json)',
      );
    }
    return (this.cache = entries);
  }

  private save(all: Record<string, string>): void {
    const sorted = Object.fromEntries(Object.entries(all).sort(([a], [b]) => a.localeCompare(b)));
    const text = JSON.stringify({ [CREDENTIALS_FILE_MARKER]: MARKER_VALUE, ...sorted }, null, 2) + '\n';
    const temporary = `${this.path}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      writeFileSync(temporary, text, { mode: 0o600 });
      renameSync(temporary, this.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS') throw error;
      throw new Error(
        `cannot write the credentials file ${this.path} (${code}: ${dirname(this.path)} is not writable): make that directory writable, ` +
          'or point the credentials file at a writable place; it keeps the generated passwords so the next synth reuses them',
      );
    }
  }
}

/** Keeps generated credentials in memory only: for tests and one-off synths. */
export class MemoryCredentialStore implements CredentialStore {
  private readonly values = new Map<string, string>();

  /** @param initial credentials to start with, e.g. fixed values for a snapshot test */
  constructor(initial: Record<string, string> = {}) {
    for (const [key, value] of Object.entries(initial)) this.values.set(key, value);
  }

  public getOrCreate(key: string): string {
    let value = this.values.get(key);
    if (value === undefined) {
      value = generatePassword();
      this.values.set(key, value);
    }
    return value;
  }

  public recall(key: string): string | undefined {
    return this.values.get(key);
  }

  public remember(key: string, value: string): void {
    this.values.set(key, value);
  }
}
