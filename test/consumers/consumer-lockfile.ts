/**
 * A package-lock.json for a consumer app, cut out of this repository's own lockfile, so `npm ci --offline` installs
 * the app from the npm cache that the repository's `npm ci` filled: every package the app gets is one this
 * repository installs (same version, same place in node_modules), and nothing is resolved against the registry.
 * (Resolving the app's ranges afresh would pick whatever version is newest today, which the cache may not hold.)
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import semver from 'semver';

/** One `packages` entry of a v3 lockfile (the fields used here). */
interface LockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  peer?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

/** A v3 lockfile. */
export interface Lockfile {
  name: string;
  version: string;
  lockfileVersion: 3;
  requires: true;
  packages: Record<string, LockEntry>;
}

/** The consumer app's manifest: its dependency ranges, as in its package.json. */
export interface ConsumerManifest {
  readonly name: string;
  readonly version: string;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

/** The package under test, installed from its tarball. */
export interface TarballPackage {
  /** Path of the tarball relative to the app, as written in the app's package.json (`file:...`). */
  readonly spec: string;
  /** Absolute path of the tarball. */
  readonly file: string;
  /** The package.json inside the tarball. */
  readonly manifest: { name: string; version: string; dependencies?: Record<string, string>; peerDependencies?: Record<string, string> };
}

const packageName = (path: string, entry: LockEntry) => entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
/** The folder a package at `path` resolves its own dependencies from, then its parents' (Node's lookup). */
const parentOf = (path: string) => (path === '' ? undefined : path.slice(0, Math.max(0, path.lastIndexOf('/node_modules/'))));
const at = (dir: string, name: string) => (dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`);

/** The folders Node looks in from the package at `path`: its own, then each parent package's, then the root. */
function chain(path: string): string[] {
  const dirs: string[] = [];
  for (let dir: string | undefined = path; dir !== undefined; dir = parentOf(dir)) dirs.push(dir);
  return dirs;
}

/** Where Node finds `name` from the package at `path`, in `packages`, or undefined. */
function lookup(packages: Record<string, LockEntry>, path: string, name: string): string | undefined {
  return chain(path).map((dir) => at(dir, name)).find((candidate) => packages[candidate] !== undefined);
}

/** Every dependency edge of an entry that must be installed: regular and present optional ones, non-optional peers. */
function edges(entry: LockEntry): Array<{ name: string; range: string; optional: boolean }> {
  return [
    ...Object.entries(entry.dependencies ?? {}).map(([name, range]) => ({ name, range, optional: false })),
    ...Object.entries(entry.optionalDependencies ?? {}).map(([name, range]) => ({ name, range, optional: true })),
    ...Object.entries(entry.peerDependencies ?? {}).map(([name, range]) => ({ name, range, optional: entry.peerDependenciesMeta?.[name]?.optional === true })),
  ];
}

/** The repository entry that satisfies `name@range`: the top-level one if it does, else any (aliases included). */
function findInRepo(repo: Record<string, LockEntry>, name: string, range: string): [string, LockEntry] {
  const candidates = Object.entries(repo).filter(([path, entry]) => path !== '' && packageName(path, entry) === name && entry.version && semver.satisfies(entry.version, range));
  const found = candidates.find(([path]) => path === `node_modules/${name}`) ?? candidates[0];
  if (!found) throw new Error(`the consumer app needs ${name}@${range}, which this repository does not install: add it to devDependencies`);
  return found;
}

/** The integrity string npm records for a tarball. */
export function tarballIntegrity(file: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

/**
 * The lockfile for `app`, whose dependencies include `tarball` (by its `spec`), with every other package taken
 * from `repoLock`. Throws when the app needs a package (or a version) this repository does not install.
 */
export function consumerLockfile(repoLock: Lockfile, app: ConsumerManifest, tarball: TarballPackage): Lockfile {
  const repo = repoLock.packages;
  const packages: Record<string, LockEntry> = {
    '': { name: app.name, version: app.version, dependencies: { ...app.dependencies }, ...(app.devDependencies ? { devDependencies: { ...app.devDependencies } } : {}) },
  };
  // Consumer path -> repository path it was copied from (to resolve its dependencies as the repository does).
  const origin = new Map<string, string>();
  const queue: string[] = [];
  const place = (path: string, from: string, entry: LockEntry) => {
    const { dev: _d, devOptional: _do, peer: _p, name, ...rest } = entry;
    // An alias in the repository (`"x-14": "npm:x@14"`) is installed here under its real name.
    packages[path] = name && path === `node_modules/${name}` ? rest : { ...(name ? { name } : {}), ...rest };
    origin.set(path, from);
    queue.push(path);
  };

  for (const [name, range] of Object.entries({ ...app.dependencies, ...app.devDependencies })) {
    if (range === tarball.spec) continue;
    const [from, entry] = findInRepo(repo, name, range);
    place(`node_modules/${name}`, from, entry);
  }
  const own = tarball.manifest;
  packages[`node_modules/${own.name}`] = {
    version: own.version,
    resolved: tarball.spec,
    integrity: tarballIntegrity(tarball.file),
    ...(own.dependencies ? { dependencies: own.dependencies } : {}),
    ...(own.peerDependencies ? { peerDependencies: own.peerDependencies } : {}),
  };
  origin.set(`node_modules/${own.name}`, '');
  queue.push(`node_modules/${own.name}`);

  while (queue.length > 0) {
    const path = queue.shift()!;
    for (const edge of edges(packages[path]!)) {
      const existing = lookup(packages, path, edge.name);
      if (existing && semver.satisfies(packages[existing]!.version!, edge.range, { includePrerelease: true })) continue;
      const from = lookup(repo, origin.get(path)!, edge.name);
      if (!from) {
        if (edge.optional) continue;
        throw new Error(`${path} needs ${edge.name}@${edge.range}, which this repository does not install`);
      }
      // Same place as in the repository when Node finds it there from `path`, else nested under `path`.
      const target = !existing && packages[from] === undefined && chain(path).includes(parentOf(from)!) ? from : at(path, edge.name);
      place(target, from, repo[from]!);
    }
  }
  return { name: app.name, version: app.version, lockfileVersion: 3, requires: true, packages };
}
