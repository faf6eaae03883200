import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BCRYPT_COST, deterministicBcryptHash } from '../../src/core/bcrypt.js';
import { CREDENTIALS_FILE_MARKER, FileCredentialStore, MemoryCredentialStore } from '../../src/core/credential-store.js';
import { DASHBOARDS_SERVER_USERNAME, INTERNAL_USERS_KEY } from '../../src/logs/opensearch/opensearch-cluster.js';
import { PRECOMPUTED_BCRYPT_HASHES, testCredentials } from '../support/credentials.js';
import { one, synthStack } from '../support/synth.js';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'creds-')), 'state', 'credentials.json');

describe('FileCredentialStore', () => {
  it('generates a password once, keeps it in a 0600 file, and a new store reads it back', () => {
    const path = tempFile();
    const first = new FileCredentialStore({ path }).getOrCreate('grafana/admin');
    expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(new FileCredentialStore({ path }).getOrCreate('grafana/admin')).toBe(first);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ [CREDENTIALS_FILE_MARKER]: expect.stringMatching(/^aiml-observability: /), 'grafana/admin': first });
  });

  it('says which credentials it generated (names only), and none when they were kept', () => {
    const path = tempFile();
    const store = new FileCredentialStore({ path });
    store.getOrCreate('ns/a/password');
    store.getOrCreate('ns/b/password');
    store.getOrCreate('ns/a/password');
    store.remember('bcrypt/ns/a', 'a derived hash, not a credential');
    expect(store.generated).toEqual(['ns/a/password', 'ns/b/password']);
    const again = new FileCredentialStore({ path });
    again.getOrCreate('ns/a/password');
    expect(again.generated).toEqual([]);
  });

  it('says what to do when the directory cannot be written', () => {
    // Tests run as root here, which file modes do not stop: /sys (EPERM even for root) stands in for a read-only
    // directory (EACCES for a user).
    expect(() => new FileCredentialStore({ path: '/sys/aiml-observability-test/credentials.json' }).getOrCreate('ns/x/password')).toThrow(
      /^cannot write the credentials file \/sys\/aiml-observability-test\/credentials\.json \((EPERM|EACCES|EROFS): \/sys\/aiml-observability-test is not writable\): make that directory writable, or point the credentials file at a writable place/,
    );
  });

  it('refuses a file that is not a credentials file of the library, and leaves it as it is', () => {
    const path = tempFile();
    mkdirSync(dirname(path), { recursive: true });
    const unrelated = '{\n  "name": "my-app",\n  "version": "1.0.0"\n}\n';
    writeFileSync(path, unrelated, { mode: 0o644 });
    expect(() => new FileCredentialStore({ path }).getOrCreate('ns/x/password')).toThrow(
      /is not a credentials file of aiml-observability \(no "written-by" marker, and "name" is not a credential name\): it is left as it is/,
    );
    expect(readFileSync(path, 'utf8')).toBe(unrelated);
    expect(statSync(path).mode & 0o777).toBe(0o644);
    // A file written before the marker existed (credential names only) is still read, and gets the marker.
    writeFileSync(path, '{"ns/x/password": "kept-from-before"}');
    expect(new FileCredentialStore({ path }).getOrCreate('ns/x/password')).toBe('kept-from-before');
    expect(() => new FileCredentialStore({ path: dirname(path) }).getOrCreate('ns/x/password')).toThrow(/is not a file/);
  });

  it('refuses a state file that is not a JSON object of strings, naming the file', () => {
    const path = tempFile();
    new FileCredentialStore({ path }).getOrCreate('x');
    writeFileSync(path, '{"x": 1}');
    expect(() => new FileCredentialStore({ path }).getOrCreate('x')).toThrow(/credentials\.json must be a JSON object of strings/);
  });
});

describe('deterministicBcryptHash with a store', () => {
  it('keeps the hash for the next synth, and recomputes it when the password changes', () => {
    const store = new MemoryCredentialStore();
    const hash = deterministicBcryptHash('first-password-123', 'ns/logs/admin', 'seed', 4, store);
    expect(store.recall('bcrypt/ns/logs/admin')).toBe(hash);
    expect(deterministicBcryptHash('first-password-123', 'ns/logs/admin', 'seed', 4, store)).toBe(hash);
    const rotated = deterministicBcryptHash('second-password-456', 'ns/logs/admin', 'seed', 4, store);
    expect(rotated).not.toBe(hash);
    expect(bcrypt.compareSync('second-password-456', rotated)).toBe(true);
    expect(store.recall('bcrypt/ns/logs/admin')).toBe(rotated);
  });

  it('ignores a kept hash made for another password', () => {
    const store = new MemoryCredentialStore({ 'bcrypt/ctx': bcrypt.hashSync('someone-else', 4) });
    const hash = deterministicBcryptHash('my-password-123', 'ctx', 'seed', 4, store);
    expect(bcrypt.compareSync('my-password-123', hash)).toBe(true);
  });
});

describe('the test credential store (test/support/credentials.ts)', () => {
  it('hands out hashes the library accepts as its own: real cost-12 bcrypt hashes of the passwords it emits', () => {
    const { chart, objects } = synthStack({ credentials: testCredentials() });
    const cluster = chart.openSearch!;
    const users = parse(one(objects, 'Secret', cluster.securityConfigSecretName).stringData[INTERNAL_USERS_KEY]) as Record<string, { hash: string }>;
    const password = (secret: string) => one(objects, 'Secret', secret).stringData.password as string;
    const emitted = { admin: users[cluster.adminUsername]!.hash, kibanaserver: users[DASHBOARDS_SERVER_USERNAME]!.hash };
    // The precomputed hashes are the ones emitted (so they are in use, under the keys the library keeps them at) ...
    expect(emitted).toEqual({
      admin: PRECOMPUTED_BCRYPT_HASHES[`bcrypt/${cluster.namespace}/${cluster.clusterName}/${cluster.adminUsername}`],
      kibanaserver: PRECOMPUTED_BCRYPT_HASHES[`bcrypt/${cluster.namespace}/${cluster.clusterName}/${DASHBOARDS_SERVER_USERNAME}`],
    });
    // ... and real: cost 12, verifying against the passwords in the credentials Secrets.
    expect(emitted.admin.startsWith(`$2y$${BCRYPT_COST}$`)).toBe(true);
    expect(bcrypt.compareSync(password(cluster.adminCredentialsSecretName), emitted.admin)).toBe(true);
    expect(bcrypt.compareSync(password(cluster.dashboardsCredentialsSecretName), emitted.kibanaserver)).toBe(true);
  });
});
