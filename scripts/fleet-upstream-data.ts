/**
 * Writes test/fleet/data/prometheus-operator-fleet-crds.json: the Prometheus and PrometheusAgent CRDs of
 * prometheus-operator (example/prometheus-operator-crd/monitoring.coreos.com_{prometheuses,prometheusagents}.yaml),
 * cut down to the spec fields this library sets through kube-prometheus-stack's prometheusSpec for a fleet
 * (externalLabels, remoteWrite, thanos), so the tests validate them strictly without shipping the whole CRDs.
 * ../shared/crds has the other prometheus-operator v0.93.1 CRDs but not these two.
 *
 *   npx tsx scripts/fleet-upstream-data.ts <prometheus-operator git dir> [commit]
 *
 * The git dir is a snapshot of github.com/prometheus-operator/prometheus-operator (the search tool's `fetch`).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const [gitDir, commit = 'HEAD'] = process.argv.slice(2);
if (!gitDir) throw new Error('usage: npx tsx scripts/fleet-upstream-data.ts <prometheus-operator git dir> [commit]');
const git = (...args: string[]) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const sha = git('rev-parse', commit).trim();
const version = git('show', `${sha}:VERSION`).trim();
const FIELDS = ['externalLabels', 'remoteWrite', 'thanos'];

const crds = ['prometheuses', 'prometheusagents'].map((plural) => {
  const path = `example/prometheus-operator-crd/monitoring.coreos.com_${plural}.yaml`;
  const crd = parse(git('show', `${sha}:${path}`));
  for (const v of crd.spec.versions) {
    const spec = v.schema.openAPIV3Schema.properties.spec;
    spec.properties = Object.fromEntries(FIELDS.filter((f) => f in spec.properties).map((f) => [f, spec.properties[f]]));
    delete spec.required;
    v.schema.openAPIV3Schema.properties = { apiVersion: v.schema.openAPIV3Schema.properties.apiVersion, kind: v.schema.openAPIV3Schema.properties.kind, metadata: { type: 'object' }, spec };
    delete v.schema.openAPIV3Schema.required;
    delete v.subresources;
    delete v.additionalPrinterColumns;
  }
  return { path, crd: { apiVersion: crd.apiVersion, kind: crd.kind, metadata: { name: crd.metadata.name }, spec: crd.spec } };
});

const out = join(import.meta.dirname, '..', 'test', 'fleet', 'data', 'prometheus-operator-fleet-crds.json');
mkdirSync(join(out, '..'), { recursive: true });
const data = {
  $source: { repository: 'github.com/prometheus-operator/prometheus-operator', commit: sha, version, files: crds.map((c) => c.path), fields: FIELDS, script: 'scripts/fleet-upstream-data.ts' },
  crds: crds.map((c) => c.crd),
};
writeFileSync(out, `${JSON.stringify(data, null, 1)}\n`);
console.log(`wrote ${out} (prometheus-operator ${version}, ${sha})`);
