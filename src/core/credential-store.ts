import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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
 * Keeps generated credentials in a local, git-ignored JSON file. The file is written only when a credential
 * is generated, atomically (write to a temporary file, then rename).
 */
export class FileCredentialStore implements CredentialStore {
  /** Absolute path of the state file. */
  public readonly path: string;
  private cache: Record<string, string> | undefined;

  constructor(props: FileCredentialStoreProps = {}) {
    this.path = resolve(props.path ?? DEFAULT_CREDENTIALS_FILE);
  }

  public getOrCreate(key: string): string {
    const existing = this.load()[key];
    if (existing !== undefined) return existing;
    const created = generatePassword();
    this.remember(key, created);
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
    if (!existsSync(this.path)) return (this.cache = {});
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
    return (this.cache = parsed as Record<string, string>);
  }

  private save(all: Record<string, string>): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const sorted = Object.fromEntries(Object.entries(all).sort(([a], [b]) => a.localeCompare(b)));
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(sorted, null, 2) + '\n', { mode: 0o600 });
    renameSync(temporary, this.path);
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
