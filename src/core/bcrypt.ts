import { createHmac } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { CredentialStore } from './credential-store.js';

/** bcrypt cost (2^12 rounds): what OpenSearch's own `hash.sh` uses. */
export const BCRYPT_COST = 12;

/** bcrypt reads at most this many bytes of a password; longer ones would be silently truncated. */
export const BCRYPT_MAX_PASSWORD_BYTES = 72;

const cache = new Map<string, string>();

/**
 * A bcrypt hash (`$2y$`, the variant OpenSearch's security plugin writes) whose salt is derived, not drawn:
 * `salt = first 16 bytes of HMAC-SHA256(key = seed, message = context NUL password)`.
 *
 * Why: bcrypt salts are normally random, so every synth would emit a different hash, the output would never be
 * byte-identical, and the OpenSearch operator would re-run its security-config job on every apply. Deriving the
 * salt keeps the hash stable for as long as the password is, and changes it as soon as the password changes (so a
 * rotation is applied), without keeping a second secret beside each password.
 *
 * Why the seed: a salt computable from public data (user name, cluster name) would let an attacker precompute
 * hashes of likely passwords once for every installation. The seed is a random value kept in the credential store
 * next to the generated passwords (as secret as they are), so salts stay unpredictable and differ between
 * installations; the context (e.g. `namespace/cluster/user`) makes them differ between users of one installation.
 *
 * @param password the clear-text password (at most {@link BCRYPT_MAX_PASSWORD_BYTES} bytes)
 * @param context a stable name of what the password is for, e.g. `observability/logs/admin`
 * @param seed per-installation random secret from the credential store
 * @param cost bcrypt cost factor
 * @param store where a computed hash is kept (under `bcrypt/<context>`) so the next synth does not pay for it
 *   again; a kept hash is used only while its salt is the one derived from the current password
 */
export function deterministicBcryptHash(password: string, context: string, seed: string, cost = BCRYPT_COST, store?: CredentialStore): string {
  if (Buffer.byteLength(password, 'utf8') > BCRYPT_MAX_PASSWORD_BYTES) {
    throw new Error(`bcrypt: a password for ${context} is longer than ${BCRYPT_MAX_PASSWORD_BYTES} bytes; bcrypt would ignore the rest`);
  }
  if (seed.length === 0) throw new Error('bcrypt: the salt seed must not be empty');
  const saltBytes = createHmac('sha256', seed).update(context).update('\0').update(password).digest().subarray(0, 16);
  const salt = `$2y$${String(cost).padStart(2, '0')}$${bcrypt.encodeBase64([...saltBytes], 16)}`;
  // bcrypt is slow on purpose; a synth hashes the same few passwords and tests synthesize many times. The salt
  // determines the password (up to HMAC collisions), so it is the cache key: no clear text is kept.
  // A bcrypt hash starts with its 29-character salt string: a kept hash of another password does not match.
  const kept = store?.recall?.(`bcrypt/${context}`);
  let hash = kept?.startsWith(salt) ? kept : cache.get(salt);
  if (hash === undefined) {
    hash = bcrypt.hashSync(password, salt);
    cache.set(salt, hash);
  }
  if (kept !== hash) store?.remember?.(`bcrypt/${context}`, hash);
  return hash;
}
