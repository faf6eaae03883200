/**
 * Where the app keeps generated passwords (`credentials.file`): resolved against the project directory, with the
 * checks that only make sense for the app (the library's FileCredentialStore refuses files that are not its own).
 */
import { spawnSync } from 'node:child_process';
import { isAbsolute, relative, resolve } from 'node:path';
import { ConfigFileError } from '../src/config/load-config.js';

/** The credentials file, absolute, and warnings about it to print. */
export interface CredentialsFile {
  readonly path: string;
  readonly warnings: readonly string[];
}

/**
 * Resolves `credentials.file` against `cwd`. A relative path that leaves the project is refused (an absolute path
 * says so on purpose); a file in a git work tree that git does not ignore is a warning (it holds passwords).
 */
export function resolveCredentialsFile(file: string, cwd: string, configFile: string): CredentialsFile {
  const problem = (message: string) => new ConfigFileError(configFile, [{ path: 'credentials.file', message }]);
  if (file.trim() === '') throw problem('is empty: name a file, e.g. .aiml-observability/credentials.json');
  const path = resolve(cwd, file);
  const inProject = relative(cwd, path);
  if (!isAbsolute(file) && (inProject.startsWith('..') || isAbsolute(inProject))) {
    throw problem(`${JSON.stringify(file)} leaves the project directory (${path}): write an absolute path if a file outside the project is meant`);
  }
  if (inProject === '') throw problem(`${JSON.stringify(file)} is the project directory: name a file in it, e.g. .aiml-observability/credentials.json`);
  return { path, warnings: gitIgnoreWarnings(path, cwd) };
}

/** A warning when `path` is in a git work tree and git would not ignore it (git check-ignore); none outside git. */
function gitIgnoreWarnings(path: string, cwd: string): string[] {
  const run = (args: string[]) => spawnSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const tree = run(['rev-parse', '--show-toplevel']);
  if (tree.error || tree.status !== 0) return [];
  const top = tree.stdout.trim();
  const inTree = relative(top, path);
  if (inTree.startsWith('..') || isAbsolute(inTree)) return [];
  // Exit status 0: ignored; 1: not ignored (git-check-ignore(1)).
  const ignored = run(['check-ignore', '-q', '--no-index', path]);
  if (ignored.status !== 1) return [];
  return [
    `credentials file ${relative(cwd, path)} is not ignored by git: it holds generated passwords; add it to .gitignore (the default, .aiml-observability/, is listed in this repository's)`,
  ];
}
