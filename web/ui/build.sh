#!/bin/sh
# Rebuilds web/dist (the GraphiQL and explorer bundles embedded by package
# web) from the exact versions pinned in package-lock.json.
#
#   sh web/ui/build.sh           rebuild web/dist
#   sh web/ui/build.sh --check   build into a temporary directory and fail
#                                if the result differs from web/dist
#
# The build is reproducible: the same lock file and sources give the same
# bytes, which --check verifies.
#
# Requires Node.js and npm. The output is committed, so building or running
# the server does not need Node.js.
set -eu

cd "$(dirname "$0")"
dist=../dist
check=
case "${1:-}" in
--check)
  check=1
  dist=$(mktemp -d)
  trap 'rm -rf "$dist"' EXIT
  ;;
"") ;;
*)
  echo "usage: sh web/ui/build.sh [--check]" >&2
  exit 2
  ;;
esac

# --ignore-scripts: esbuild finds its platform binary package without its
# install script, and no other dependency needs one.
npm ci --no-audit --no-fund --ignore-scripts

rm -rf "$dist"
mkdir -p "$dist"

# --legal-comments=external keeps the third-party license notices in
# graphiql.js.LEGAL.txt / graphiql.css.LEGAL.txt instead of the bundle.
# --loader:.woff2=file etc. only matter if a stylesheet references a font
# file; the GraphiQL stylesheet currently inlines its fonts.
./node_modules/.bin/esbuild src/graphiql.jsx \
  --bundle \
  --minify \
  --format=iife \
  --target=es2020,chrome100,firefox100,safari15 \
  --jsx=automatic \
  --define:process.env.NODE_ENV='"production"' \
  --legal-comments=external \
  --charset=utf8 \
  --loader:.woff2=file \
  --loader:.woff=file \
  --loader:.ttf=file \
  --asset-names='[name]-[hash]' \
  --outdir="$dist" \
  --log-level=warning

# The explorer (/explore): Cytoscape.js with fCoSE and ECharts, a separate
# bundle so that neither page loads the other's libraries.
./node_modules/.bin/esbuild explore=src/explore/main.js \
  --bundle \
  --minify \
  --format=iife \
  --target=es2020,chrome100,firefox100,safari15 \
  --legal-comments=external \
  --charset=utf8 \
  --outdir="$dist" \
  --log-level=warning

# Static files that are served as they are.
cp public/* "$dist"/

if [ -n "$check" ]; then
  if ! diff -rq "$dist" ../dist; then
    echo "web/dist differs from a fresh build: run sh web/ui/build.sh and commit web/dist" >&2
    exit 1
  fi
  echo "web/dist is what the lock file and sources build"
  exit 0
fi

ls -l "$dist"
