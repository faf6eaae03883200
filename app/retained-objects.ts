/**
 * What an uninstall keeps. `kubectl delete -f dist/` reads the files directly in `dist/` (not its subdirectories:
 * `-R` is off by default), so the objects whose deletion destroys data are written one level down, in
 * `dist/keep/`: the Namespaces (deleting a namespace deletes the PersistentVolumeClaims of Prometheus and
 * OpenSearch, and with the default `Delete` reclaim policy their volumes) and the CustomResourceDefinitions
 * (deleting a CRD deletes every object of its kind, e.g. the OpenSearchCluster). Applying needs both first:
 * `kubectl apply --server-side -f dist/keep/`, then `kubectl apply --server-side -f dist/`.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** Subdirectory of the output directory holding the objects an uninstall keeps. */
export const RETAINED_DIRECTORY = 'keep';

/** Kinds written to {@link RETAINED_DIRECTORY}, each with the data its deletion would take along. */
export const RETAINED_KINDS: Readonly<Record<string, string>> = {
  Namespace: 'every object in it, including the PersistentVolumeClaims of Prometheus and OpenSearch',
  CustomResourceDefinition: 'every custom resource of its kind (the OpenSearchCluster, Prometheus, ServiceMonitors, ...)',
};

/** The separator cdk8s writes between the documents of a chart's file (`Yaml.save`). */
const DOCUMENT_SEPARATOR = /^---\n/m;

/**
 * Moves the Namespaces and CRDs out of every `*.k8s.yaml` file of `outdir` into a file of the same name in
 * `outdir/keep/`, keeping each document's text and order. Files left without documents are removed.
 * @returns the files written to the retained directory, relative to `outdir`
 */
export function separateRetainedObjects(outdir: string): string[] {
  const written: string[] = [];
  for (const file of readdirSync(outdir).filter((f) => f.endsWith('.k8s.yaml')).sort()) {
    const path = join(outdir, file);
    const documents = readFileSync(path, 'utf8').split(DOCUMENT_SEPARATOR).filter((doc) => doc.trim() !== '');
    const retained = documents.filter(isRetained);
    if (retained.length === 0) continue;
    const rest = documents.filter((doc) => !retained.includes(doc));
    mkdirSync(join(outdir, RETAINED_DIRECTORY), { recursive: true });
    writeFileSync(join(outdir, RETAINED_DIRECTORY, file), retained.join('---\n'));
    // kubectl refuses a file without objects ("no objects passed to apply").
    if (rest.length === 0) rmSync(path);
    else writeFileSync(path, rest.join('---\n'));
    written.push(join(RETAINED_DIRECTORY, file));
  }
  return written;
}

function isRetained(document: string): boolean {
  const kind = (parse(document) as { kind?: unknown } | null)?.kind;
  return typeof kind === 'string' && Object.hasOwn(RETAINED_KINDS, kind);
}
