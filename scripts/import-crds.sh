#!/usr/bin/env bash
# Regenerates the typed CRD classes in imports/ from the pinned operators' CRDs in ../shared/crds.
# One TypeScript module per API group; the CRD YAML itself stays in ../shared and is never copied here.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SHARED_DIR:-../shared}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

import_group() { # <output module name> <crd files...>
  local name=$1; shift
  for f in "$@"; do cat "$f"; printf '\n---\n'; done > "$tmp/$name.yaml"
  npx cdk8s import "$tmp/$name.yaml" --no-save --output imports >/dev/null
}

rm -f imports/*.ts
import_group opensearch "$shared"/crds/opensearch-operator-2.8.0/*.yaml
import_group fluentbit "$shared"/crds/fluent-operator-4.3.0/*.yaml
import_group kuberay "$shared"/crds/kuberay-1.7.0/ray.io_rayjobs.yaml "$shared"/crds/kuberay-1.7.0/ray.io_rayservices.yaml
import_group flux-source "$shared"/crds/flux-source-controller-1.9.1/source.toolkit.fluxcd.io_helmrepositories.yaml
import_group flux-helm "$shared"/crds/flux-helm-controller-1.6.3/*.yaml
import_group argocd "$shared"/crds/argo-cd-3.5.1/application-crd.yaml
import_group cert-manager "$shared"/crds/cert-manager-v1.21.1/cert-manager.io_certificates.yaml
# Only the kinds this library creates (Probe and the 700 KB ScrapeConfig CRD are left out).
import_group prometheus-operator "$shared"/crds/prometheus-operator-v0.93.1/crd-servicemonitors.yaml \
  "$shared"/crds/prometheus-operator-v0.93.1/crd-podmonitors.yaml "$shared"/crds/prometheus-operator-v0.93.1/crd-prometheusrules.yaml
ls -la imports
