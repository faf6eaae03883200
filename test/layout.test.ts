/**
 * The layout keeps its promise (docs/architecture.md): no folder imports a folder that imports it back, and the
 * library (src/, dashboards/) never imports the app, the scripts or the tests. Reads the real import statements of
 * every TypeScript file, so a new import that closes a loop fails here.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '..');
const LIBRARY_ROOTS = ['src', 'dashboards'];
const ALL_ROOTS = [...LIBRARY_ROOTS, 'app', 'scripts', 'examples'];
/** The package's entry point: it re-exports every folder, so it is left out of the folder graph. */
const BARREL = 'src/index.ts';

function tsFiles(dir: string): string[] {
  return readdirSync(join(REPO, dir)).flatMap((name) => {
    const path = posix.join(dir, name);
    if (statSync(join(REPO, path)).isDirectory()) return name === 'node_modules' || name === '__snapshots__' ? [] : tsFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

/** Repository-relative paths of the modules a file imports (relative specifiers only). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(REPO, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s*|import\(\s*)'(\.{1,2}\/[^']+)'/g)].map((m) => m[1] as string);
  return specifiers.map((s) => posix.normalize(posix.join(posix.dirname(file), s)).replace(/\.js$/, '.ts'));
}

/** Edges between folders (a folder is its own node; a sub-folder is another node). */
function folderGraph(files: readonly string[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const from = posix.dirname(file);
    for (const target of importsOf(file)) {
      const to = posix.dirname(target);
      if (to === from) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)?.add(to);
    }
  }
  return graph;
}

/** Every cycle's folders, as `a -> b -> a` strings (empty when the graph is acyclic). */
function cycles(graph: Map<string, Set<string>>): string[] {
  const found: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      if (state.get(next) === 'visiting') found.push([...stack.slice(stack.indexOf(next)), next].join(' -> '));
      else if (state.get(next) === undefined) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (state.get(node) === undefined) visit(node);
  return found;
}

describe('layout', () => {
  const files = ALL_ROOTS.flatMap(tsFiles);

  it('reads the files it checks', () => {
    expect(files.filter((f) => f.startsWith('src/')).length).toBeGreaterThan(40);
    expect(files).toContain('dashboards/training.ts');
  });

  it('has no folder that imports a folder importing it back (the package barrel src/index.ts aside)', () => {
    expect(cycles(folderGraph(files.filter((f) => f !== BARREL)))).toEqual([]);
  });

  it('imports the package barrel from nowhere inside the library', () => {
    const importers = files.filter((f) => f.startsWith('src/') && importsOf(f).includes(BARREL));
    expect(importers).toEqual([]);
  });

  it('finds a cycle when there is one (the check can fail)', () => {
    const graph = new Map([
      ['src/a', new Set(['src/b'])],
      ['src/b', new Set(['src/c'])],
      ['src/c', new Set(['src/a'])],
    ]);
    expect(cycles(graph)).toEqual(['src/a -> src/b -> src/c -> src/a']);
  });

  it('keeps the library free of the app, the scripts, the examples and the tests', () => {
    const offending = files
      .filter((f) => LIBRARY_ROOTS.some((root) => f.startsWith(`${root}/`)))
      .flatMap((f) => importsOf(f).filter((t) => !LIBRARY_ROOTS.concat('imports').some((root) => t.startsWith(`${root}/`))).map((t) => `${f} -> ${t}`));
    expect(offending).toEqual([]);
  });

  it('stays inside the repository when it resolves an import', () => {
    for (const file of files) for (const target of importsOf(file)) expect(relative(REPO, join(REPO, target)).startsWith('..'), `${file} -> ${target}`).toBe(false);
  });
});
