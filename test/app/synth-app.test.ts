import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthesize } from '../../app/main.js';
import { writeTestCredentialsFile } from '../support/synth.js';

/**
 * A project directory with `config` as its observability.yaml and, unless the test is about generating them, the
 * test credentials in its credentials file (a fresh one would cost two bcrypt hashes per synth).
 */
function project(config: string, credentials: 'test' | 'generated' = 'test'): string {
  const dir = mkdtempSync(join(tmpdir(), 'obs-app-'));
  writeFileSync(join(dir, 'observability.yaml'), config);
  if (credentials === 'test') writeTestCredentialsFile(dir);
  return dir;
}

const read = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  );

describe('the app (npx cdk8s synth)', () => {
  it('writes the setup file before the main file, so a directory apply meets CRDs first', () => {
    const dir = project('charts:\n  delivery: flux\n');
    expect(synthesize('dist', {}, dir).files).toEqual(['0000-observability-setup.k8s.yaml', '0001-observability.k8s.yaml', 'keep/0000-observability-setup.k8s.yaml']);
  });

  it('synthesizes byte-identical output twice, reusing the generated credentials it kept', () => {
    const dir = project('charts:\n  delivery: argocd\n', 'generated');
    synthesize('dist', {}, dir);
    const first = read(join(dir, 'dist'));
    synthesize('dist', {}, dir);
    expect(read(join(dir, 'dist'))).toEqual(first);
    expect(existsSync(join(dir, '.aiml-observability', 'credentials.json'))).toBe(true);
  });

  it('writes nothing on a bad config, and leaves a previous dist/ untouched', () => {
    const dir = project('charts:\n  delivery: flux\n');
    synthesize('dist', {}, dir);
    const before = read(join(dir, 'dist'));
    writeFileSync(join(dir, 'observability.yaml'), 'charts:\n  delivery: kustomize\n');
    expect(() => synthesize('dist', {}, dir)).toThrow(/observability\.yaml: 1 problem:\n  - charts\.delivery: "kustomize" is not allowed; allowed: helm, flux, argocd, external \(line 2, column 3\)/);
    expect(read(join(dir, 'dist'))).toEqual(before);
    expect(readdirSync(dir).filter((f) => f.includes('-staging-'))).toEqual([]);
  });

  it('in helm mode without helm, fails before writing anything', () => {
    const dir = project('charts:\n  helmExecutable: /nonexistent/helm\n');
    expect(() => synthesize('dist', {}, dir)).toThrow(/charts\.delivery is 'helm'.*flux.*argocd.*external/);
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  });

  it("reports a construct's error with the config key, the file and the line, not the prop path", () => {
    const dir = project('charts:\n  delivery: flux\nopensearch:\n  existingSecret: vault-logs\n  credentials:\n    adminPassword: a-long-enough-password\n');
    expect(() => synthesize('dist', {}, dir)).toThrow(
      /observability\.yaml: 1 problem:\n  - opensearch\.existingSecret: cannot be combined with opensearch\.credentials\.adminPassword: the passwords come from the existing Secrets; remove one or the other \(line 4, column 3\)$/,
    );
    const apiServer = project('charts:\n  delivery: flux\nmcp:\n  enabled: true\n  opensearch: { enabled: false }\n  kubernetes:\n    clusterWideEditAccessIUnderstandTheRisk: true\n    writeNamespaces: team-a\n');
    expect(() => synthesize('dist', {}, apiServer)).toThrow(/  - mcp\.kubernetes\.writeNamespaces: cannot be combined with mcp\.kubernetes\.clusterWideEditAccessIUnderstandTheRisk.* \(line 8, column 5\)$/);
  });
});

describe('the credentials file (credentials.file)', () => {
  it('refuses an empty name and a relative path out of the project; an absolute path outside is taken as meant', () => {
    const empty = project('charts:\n  delivery: flux\ncredentials:\n  file: ""\n');
    expect(() => synthesize('dist', {}, empty)).toThrow(/credentials\.file: "" is too small|credentials\.file: is empty/);
    const outside = project('charts:\n  delivery: flux\ncredentials:\n  file: ../elsewhere/credentials.json\n');
    expect(() => synthesize('dist', {}, outside)).toThrow(/credentials\.file: "\.\.\/elsewhere\/credentials\.json" leaves the project directory .*write an absolute path/);
    expect(existsSync(join(outside, '..', 'elsewhere'))).toBe(false);
    const absolute = join(mkdtempSync(join(tmpdir(), 'obs-creds-')), 'credentials.json');
    const dir = project(`charts:\n  delivery: flux\ncredentials:\n  file: ${absolute}\n`, 'generated');
    expect(synthesize('dist', {}, dir).credentialsFile).toBe(absolute);
    expect(existsSync(absolute)).toBe(true);
  });

  it('names (never shows) the credentials a synth generated: all on the first synth, none on the next', () => {
    const dir = project('charts:\n  delivery: flux\n', 'generated');
    const first = synthesize('dist', {}, dir);
    expect(first.generatedCredentials).toEqual(expect.arrayContaining(['observability/kube-prometheus-stack/grafana-admin-password', 'observability/logs/opensearch-admin-password']));
    expect(synthesize('dist', {}, dir).generatedCredentials).toEqual([]);
  });

  it('warns when the file is in a git work tree and not ignored by git', () => {
    const dir = project('charts:\n  delivery: flux\ncredentials:\n  file: secrets.json\n');
    writeFileSync(join(dir, 'secrets.json'), readFileSync(join(dir, '.aiml-observability', 'credentials.json')));
    expect(synthesize('dist', {}, dir).warnings).toEqual([]); // not a git work tree
    execFileSync('git', ['init', '-q', dir]);
    expect(synthesize('dist', {}, dir).warnings).toEqual([expect.stringMatching(/^credentials file secrets\.json is not ignored by git: .*add it to \.gitignore/)]);
    writeFileSync(join(dir, '.gitignore'), 'secrets.json\n');
    expect(synthesize('dist', {}, dir).warnings).toEqual([]);
  });
});
