/**
 * The credential store tests synthesize with, unless a test is about credentials themselves.
 *
 * A real store generates random passwords, so every synth with a fresh one pays for two bcrypt hashes at cost 12
 * (OpenSearch's admin and Dashboards users, about 0.4 s each in bcryptjs). Here each key gets a fixed password
 * derived from the key, and the store starts out holding the hashes of the default-namespace OpenSearch users,
 * computed once with the library's own `deterministicBcryptHash` at cost 12 (`test/core/credentials.test.ts` checks
 * that they are the ones emitted and that they verify against the emitted passwords). The library uses a kept hash
 * only when its salt is the one it derives from the current password, exactly as between two synths of a user's
 * app; any other context (another namespace, a given password) is hashed for real.
 *
 * Tests about generated passwords (format, randomness, one per store) use `MemoryCredentialStore` instead.
 */
import { createHash } from 'node:crypto';
import type { CredentialStore } from '../../src/core/credential-store.js';

/** The fixed password the test store gives for `key`: 32 URL-safe base64 characters, like a generated one. */
export function testPassword(key: string): string {
  return createHash('sha256').update(`aiml-observability test credential: ${key}`).digest('base64url').slice(0, 32);
}

/**
 * bcrypt hashes (cost 12) of the test passwords of the OpenSearch users in the default namespace and cluster
 * (`observability/logs`), under the keys the library keeps them at (`bcrypt/<namespace>/<cluster>/<user>`).
 */
export const PRECOMPUTED_BCRYPT_HASHES: Readonly<Record<string, string>> = {
  'bcrypt/observability/logs/admin': '$2y$12$mRYx4m5NZ48iobUJPDgGveOUJZiBo9eLjNEEqECR2ud/943Th31V6',
  'bcrypt/observability/logs/kibanaserver': '$2y$12$Y/d36EUmCc9iPtggi/3bQud2QQuNLu80Pula708RQ74ZtEVY/ksd6',
};

/** The credential store of {@link testCredentials}: fixed per-key passwords, and what it holds can be listed. */
export class TestCredentialStore implements CredentialStore {
  private readonly values: Map<string, string>;

  /** @param initial values to start with; they win over the fixed passwords and the precomputed hashes */
  constructor(initial: Record<string, string> = {}) {
    this.values = new Map(Object.entries({ ...PRECOMPUTED_BCRYPT_HASHES, ...initial }));
  }

  public getOrCreate(key: string): string {
    if (!this.values.has(key)) this.values.set(key, testPassword(key));
    return this.values.get(key)!;
  }

  public recall(key: string): string | undefined {
    return this.values.get(key);
  }

  public remember(key: string, value: string): void {
    this.values.set(key, value);
  }

  /** Everything held, as the app's credentials file would keep it (key order sorted). */
  public entries(): Record<string, string> {
    return Object.fromEntries([...this.values].sort(([a], [b]) => a.localeCompare(b)));
  }
}

/** A store with fixed per-key passwords and the precomputed hashes; `initial` values win over both. */
export function testCredentials(initial: Record<string, string> = {}): TestCredentialStore {
  return new TestCredentialStore(initial);
}
