import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { deterministicBcryptHash } from '../../src/core/bcrypt.js';
import { FileCredentialStore, MemoryCredentialStore } from '../../src/core/credential-store.js';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'creds-')), 'state', 'credentials.json');

describe('FileCredentialStore', () => {
  it('generates a password once, keeps it in a 0600 file, and a new store reads it back', () => {
    const path = tempFile();
    const first = new FileCredentialStore({ path }).getOrCreate('grafana/admin');
    expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(new FileCredentialStore({ path }).getOrCreate('grafana/admin')).toBe(first);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ 'grafana/admin': first });
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
