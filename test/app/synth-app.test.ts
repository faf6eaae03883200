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
    expect(synthesize('dist', {}, dir)).toEqual(['0000-observability-setup.k8s.yaml', '0001-observability.k8s.yaml', 'keep/0000-observability-setup.k8s.yaml']);
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
