/** app/output-dir.ts: the rules `npx cdk8s synth` and `npm run synth:examples` write their output directories by. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTPUT_RECORD_FILE, publishOutput, readOutputRecord } from '../../app/output-dir.js';

const writer = (files: Record<string, string>) => (staging: string) => {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(staging, name, '..'), { recursive: true });
    writeFileSync(join(staging, name), text);
  }
};

describe('publishOutput', () => {
  it('replaces the files it wrote, removes those it no longer writes (and directories they leave empty), keeps the rest', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'out-')), 'dist');
    publishOutput(out, writer({ 'a.yaml': 'a1', 'sub/b.yaml': 'b1' }));
    writeFileSync(join(out, 'mine.md'), 'user file');
    const second = publishOutput(out, writer({ 'a.yaml': 'a2', 'c.yaml': 'kind: Secret\n' }));
    expect(second).toMatchObject({ files: ['a.yaml', 'c.yaml'], removed: ['sub/b.yaml'], kept: ['mine.md'] });
    expect(readdirSync(out).sort()).toEqual([OUTPUT_RECORD_FILE, 'a.yaml', 'c.yaml', 'mine.md']);
    expect(readFileSync(join(out, 'a.yaml'), 'utf8')).toBe('a2');
    expect(readOutputRecord(out)).toEqual(['a.yaml', 'c.yaml']);
    expect(statSync(join(out, 'c.yaml')).mode & 0o777).toBe(0o600);
    expect(statSync(join(out, 'a.yaml')).mode & 0o777).toBe(0o644);
  });

  it('leaves everything as it was when the writer fails, and no staging directory behind', () => {
    const parent = mkdtempSync(join(tmpdir(), 'out-'));
    const out = join(parent, 'dist');
    publishOutput(out, writer({ 'a.yaml': 'a1' }));
    expect(() =>
      publishOutput(out, (staging) => {
        writer({ 'a.yaml': 'half-written' })(staging);
        throw new Error('bad config');
      }),
    ).toThrow('bad config');
    expect(readFileSync(join(out, 'a.yaml'), 'utf8')).toBe('a1');
    expect(readdirSync(parent)).toEqual(['dist']);
  });

  it("refuses a directory holding files it did not write, a file of a name it would write, a symlink and a file; accepts one holding only output directories of its own", () => {
    const parent = mkdtempSync(join(tmpdir(), 'out-'));
    const foreign = join(parent, 'foreign');
    mkdirSync(join(foreign, 'deep'), { recursive: true });
    writeFileSync(join(foreign, 'deep', 'notes.md'), 'x');
    expect(() => publishOutput(foreign, writer({ 'a.yaml': 'a' }))).toThrow(/foreign is not empty and was not written by this app \(it holds .*deep\/notes\.md/);
    const owned = join(parent, 'owned');
    publishOutput(owned, writer({ 'a.yaml': 'a' }));
    writeFileSync(join(owned, 'b.yaml'), 'hand-written');
    expect(() => publishOutput(owned, writer({ 'a.yaml': 'a', 'b.yaml': 'b' }))).toThrow(/b\.yaml exists and was not written by this app/);
    expect(readFileSync(join(owned, 'b.yaml'), 'utf8')).toBe('hand-written');
    symlinkSync(owned, join(parent, 'link'));
    expect(() => publishOutput(join(parent, 'link'), writer({}))).toThrow(/link is not a directory/);
    // dist/ holding only dist/examples/ (written by npm run synth:examples) is the app's to write into.
    const dist = join(parent, 'dist');
    publishOutput(join(dist, 'examples'), writer({ 'training/x.yaml': 'x' }));
    expect(publishOutput(dist, writer({ 'a.yaml': 'a' })).kept).toEqual(['examples']);
    expect(existsSync(join(dist, 'examples', 'training', 'x.yaml'))).toBe(true);
  });
});
