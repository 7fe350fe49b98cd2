#!/usr/bin/env bash
# Installs what the test suite drives for real: Helm (built from its Go module, cached in .cache/tools/bin),
# kustomize (kubectl kustomize when kubectl is present, else built from its Go module), and the etcd and
# kube-apiserver of scripts/control-plane (built from their Go modules, cached in .cache/control-plane).
# Idempotent and quiet when everything is already there.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/.cache/tools/bin"
mkdir -p "$bin"

HELM_VERSION=v3.19.5
KUSTOMIZE_VERSION=v5.7.1

if ! command -v go >/dev/null 2>&1; then
  echo "install-tools: Go is needed to build helm and kustomize for the tests; install Go 1.24+ first" >&2
  exit 1
fi

# `go install` builds carry no version string, so a stamp file records which version was built.
if [ ! -x "$bin/helm" ] || [ "$(cat "$bin/helm.version" 2>/dev/null)" != "$HELM_VERSION" ]; then
  echo "install-tools: building helm ${HELM_VERSION} (first time only, a few minutes)..." >&2
  GOBIN="$bin" GOFLAGS=-mod=mod go install "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}"
  echo "$HELM_VERSION" > "$bin/helm.version"
fi

if ! command -v kustomize >/dev/null 2>&1 && ! command -v kubectl >/dev/null 2>&1 && [ ! -x "$bin/kustomize" ]; then
  echo "install-tools: building kustomize ${KUSTOMIZE_VERSION} (first time only)..." >&2
  GOBIN="$bin" GOFLAGS=-mod=mod go install "sigs.k8s.io/kustomize/kustomize/v5@${KUSTOMIZE_VERSION}"
fi

# The real etcd and kube-apiserver the live-cluster tests start (built once, cached in .cache/control-plane).
"$root/scripts/control-plane" build
