/**
 * Writes test/mcp/data/kubernetes-mcp-server-core-tools.json: the tools kubernetes-mcp-server offers in its `core`
 * toolset, with the two annotations its --read-only and --disable-destructive filters read (pkg/mcp/mcp.go), taken
 * from the project's own listing of them (pkg/mcp/testdata/toolsets-core-tools.json) at the pinned release.
 *
 *   npx tsx scripts/import-kubernetes-mcp-tools.ts [<git dir or clone of containers/kubernetes-mcp-server>]
 *
 * Without an argument it clones https://github.com/containers/kubernetes-mcp-server into a temporary directory.
 * The release is the tag of the image we deploy (MCP_SERVER_IMAGES.kubernetes in src/mcp/mcp-images.ts); the tests
 * check the data is of that release.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MCP_SERVER_IMAGES } from '../src/mcp/mcp-images.js';

const REPOSITORY = 'https://github.com/containers/kubernetes-mcp-server';
const RELEASE = MCP_SERVER_IMAGES.kubernetes.split(':').pop()!;
const LISTING = 'pkg/mcp/testdata/toolsets-core-tools.json';
const OUTPUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'mcp', 'data', 'kubernetes-mcp-server-core-tools.json');

interface ListedTool {
  readonly name: string;
  readonly annotations?: { readonly readOnlyHint?: boolean; readonly destructiveHint?: boolean };
}

let gitDir = process.argv[2];
let scratch: string | undefined;
if (!gitDir) {
  scratch = mkdtempSync(join(tmpdir(), 'kubernetes-mcp-server-'));
  execFileSync('git', ['clone', '--quiet', '--bare', '--filter=blob:none', REPOSITORY, scratch], { stdio: 'inherit' });
  gitDir = scratch;
}
try {
  const listing = JSON.parse(execFileSync('git', ['--git-dir', gitDir, 'show', `${RELEASE}:${LISTING}`], { encoding: 'utf8' })) as ListedTool[];
  const tools = listing
    .map((t) => ({ name: t.name, readOnlyHint: t.annotations?.readOnlyHint === true, destructiveHint: t.annotations?.destructiveHint === true }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const data = { source: `${REPOSITORY} ${RELEASE} ${LISTING}`, release: RELEASE, toolset: 'core', tools };
  mkdirSync(dirname(OUTPUT), { recursive: true });
  writeFileSync(OUTPUT, `${JSON.stringify(data, null, 2)}\n`);
  process.stdout.write(`${OUTPUT}: ${tools.length} tools of ${RELEASE}\n`);
} finally {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}
