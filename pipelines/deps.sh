#!/bin/sh
# pipelines/deps.sh: installs the Debian packages sp needs, when missing.
# Run by 'make deps', 'make check' and './pipeline.sh demo'.  As root it
# runs apt-get; otherwise it prints the command to run and exits 1.
set -eu

# Build and run time: the libraries, the database server, and what the
# tests and the simulated Spotify API use (python3, curl, jq, zip).
PACKAGES="build-essential pkg-config libcurl4-openssl-dev libpq-dev libjq-dev
libonig-dev libgsl-dev liblapacke-dev libopenblas-dev libarchive-dev zlib1g-dev
libyaml-dev
postgresql postgresql-client python3 curl jq zip unzip procps util-linux rsync
time chromium nodejs python3-yaml man-db groff-base"

# The S3-compatible server of the sp-stage/sp-load tests: s3rver, pinned by
# tests/s3/package-lock.json, installed into tests/s3/node_modules (npm comes
# with the nodejs package of NodeSource, or from Debian's npm package).
s3rver() {
	root=$(cd "$(dirname "$0")/.." && pwd)
	if [ ! -x "$root/tests/s3/node_modules/.bin/s3rver" ] && command -v npm >/dev/null; then
		npm ci --prefix "$root/tests/s3" --no-audit --no-fund >/dev/null 2>&1 ||
		    echo "deps: npm ci --prefix tests/s3 failed; the S3 tests will be skipped" >&2
	fi
	return 0
}

missing=
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && { s3rver; exit 0; }

echo "deps: installing:$missing" >&2
if [ "$(id -u)" != 0 ]; then
	echo "deps: run as root: apt-get update && apt-get install -y$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
s3rver
