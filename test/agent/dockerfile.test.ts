/**
 * The agent's Dockerfile, checked without a container engine (there is none where this project is built, so the
 * image itself is never built here; see docs/agent.md): multi-stage, a base pinned by version to a Node.js release
 * CI tests, every file it copies exists and is not excluded by .dockerignore, the sources it copies are everything
 * the package and the bin are built from, the final stage installs no devDependencies and runs as the uid the
 * construct sets, and its entrypoint is the package's bin, which answers the command the construct runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { SERVE_USAGE } from '../../app/agent-serve.js';
import { AGENT_IMAGE_UID, AGENT_SERVE_COMMAND, AGENT_WEB_PORT } from '../../src/agent/agent-web-contract.js';
import { pinnedImage } from '../../src/core/value-types.js';

const REPO = join(import.meta.dirname, '..', '..');
const dockerfile = readFileSync(join(REPO, 'Dockerfile'), 'utf8');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));

/** Instructions, with continuation lines joined and comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const [op, ...rest] = l.split(/\s+/);
    return { op: op!.toUpperCase(), args: rest.join(' ') };
  });
const stages: { name: string; steps: typeof instructions }[] = [];
for (const ins of instructions) {
  if (ins.op === 'FROM') stages.push({ name: /\bAS\s+(\S+)/i.exec(ins.args)?.[1] ?? '', steps: [] });
  else stages.at(-1)?.steps.push(ins);
}
const runtime = stages.at(-1)!;
const ignored = readFileSync(join(REPO, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

describe('the Dockerfile of the agent', () => {
  it('has a build and a runtime stage on a base pinned by version, a Node.js release CI tests', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'runtime']);
    const base = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    expect(base).toBeDefined();
    expect(pinnedImage.safeParse(base).success, `${base} is pinned`).toBe(true);
    const version = /^node:(\d+\.\d+\.\d+)-/.exec(base!)?.[1];
    const ciVersions = /NODE_VERSIONS=\(([^)]*)\)/.exec(readFileSync(join(REPO, '.ci', 'run'), 'utf8'))![1]!.split(/\s+/);
    expect(ciVersions).toContain(version);
    expect(instructions.filter((i) => i.op === 'FROM').map((i) => i.args)).toEqual(['${NODE_IMAGE} AS build', '${NODE_IMAGE} AS runtime']);
  });

  it('copies files that exist and that .dockerignore does not exclude', () => {
    const sources = stages[0]!.steps.filter((s) => s.op === 'COPY' && !s.args.startsWith('--from')).flatMap((s) => s.args.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      expect(existsSync(join(REPO, source)), source).toBe(true);
      expect(ignored.some((pattern) => source === pattern || source.startsWith(`${pattern}/`)), `${source} is excluded by .dockerignore`).toBe(false);
    }
  });

  it('copies every source the package and its bin are built from', async () => {
    const copied = stages[0]!.steps.filter((s) => s.op === 'COPY' && !s.args.startsWith('--from')).flatMap((s) => s.args.split(/\s+/).slice(0, -1));
    const result = await build({ absWorkingDir: REPO, entryPoints: ['src/index.ts', 'app/bin.ts'], bundle: true, platform: 'node', format: 'esm', packages: 'external', write: false, metafile: true, outdir: 'out', logLevel: 'silent' });
    const inputs = Object.keys(result.metafile.inputs).map((p) => relative(REPO, join(REPO, p)));
    expect(inputs.length).toBeGreaterThan(100);
    const missing = inputs.filter((file) => !copied.some((c) => file === c || file.startsWith(`${c}/`)));
    expect(missing).toEqual([]);
    // and the files npm packs (package.json "files")
    for (const file of pkg.files as string[]) if (!file.startsWith('lib/')) expect(copied, file).toContain(file);
  });

  it('installs only runtime dependencies, from package-lock.json, and runs as the uid the construct sets', () => {
    const runs = runtime.steps.filter((s) => s.op === 'RUN').map((s) => s.args);
    expect(runs.some((r) => r.includes('npm ci --omit=dev'))).toBe(true);
    expect(runtime.steps.some((s) => s.op === 'COPY' && s.args.includes('package-lock.json'))).toBe(true);
    const user = runtime.steps.findIndex((s) => s.op === 'USER');
    expect(runtime.steps[user]!.args).toBe(String(AGENT_IMAGE_UID));
    // nothing runs after USER but the entrypoint: no RUN as that user, none as root after it
    expect(runtime.steps.slice(user).filter((s) => s.op === 'RUN')).toEqual([]);
    expect(runtime.steps.find((s) => s.op === 'EXPOSE')!.args).toBe(String(AGENT_WEB_PORT));
  });

  it("runs the package's bin, which answers the command the construct gives it", () => {
    const entrypoint = JSON.parse(runtime.steps.find((s) => s.op === 'ENTRYPOINT')!.args) as string[];
    const bin = pkg.bin['aiml-observability'] as string;
    expect(entrypoint).toEqual(['node', `/app/${bin}`]);
    expect(pkg.files).toContain(bin);
    // the built bin (npm run build; npm ci runs it): `agent serve --help` prints the serve usage and exits 0
    const built = join(REPO, bin);
    expect(existsSync(built), `${bin}: run npm run build`).toBe(true);
    const run = spawnSync(process.execPath, [built, ...AGENT_SERVE_COMMAND, '--help'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe(SERVE_USAGE);
  });
});
