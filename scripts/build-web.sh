#!/bin/sh
# Builds the web UI into web/dist when web/package.json exists (Node 20 + Vite);
# otherwise leaves an empty web/dist so the Go stage builds the binary without
# the embedui tag. Used by the "web" stage of Dockerfile.backend.
set -eu
cd "${1:-.}"
mkdir -p web/dist
if [ -f web/package.json ]; then
	cd web
	# node_modules may already come from an earlier (cached) npm ci layer.
	if [ ! -d node_modules ]; then npm ci --no-audit --no-fund; fi
	npm run build
	test -f dist/index.html || { echo "build-web: npm run build produced no dist/index.html" >&2; exit 1; }
else
	echo "build-web: no web/package.json; building the backend without the embedded UI"
fi
