#!/usr/bin/env node
// Stand-in for the helm binary, which cannot run on this machine (no network to chart repositories).
// It answers `helm version` and `helm template` the way helm 3 does on the command line, records every call
// (arguments and the values file content) as JSON lines in $HELM_STANDIN_LOG, and renders two small objects
// named after the release so the output can be followed through synth. It renders no real chart.
import { appendFileSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const log = process.env.HELM_STANDIN_LOG;
if (args[0] === 'version') {
  process.stdout.write(process.env.HELM_STANDIN_VERSION ?? 'v3.16.4');
  process.exit(0);
}
if (args[0] !== 'template') {
  process.stderr.write(`helm stand-in: unsupported command ${args[0]}\n`);
  process.exit(2);
}
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const valuesFile = option('-f');
const positional = args.slice(1).filter((a, i, all) => !a.startsWith('-') && !['-f', '--repo', '--version', '--namespace'].includes(all[i - 1]));
const [release, chart] = positional;
if (log) {
  appendFileSync(log, JSON.stringify({ args, release, chart, values: valuesFile ? readFileSync(valuesFile, 'utf8') : null }) + '\n');
}
const namespace = option('--namespace') ?? 'default';
const crd = args.includes('--include-crds')
  ? `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.${release}.example.com
spec:
  group: ${release}.example.com
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
---
`
  : '';
process.stdout.write(`---
# Source: ${chart}/crds/widgets.yaml
${crd}apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${release}-operator
  namespace: ${namespace}
`);
