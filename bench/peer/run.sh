#!/usr/bin/env bash
# Runs the peer benchmark: builds innograph, starts the peer
# (@neo4j/graphql, peer-server.mjs), and for each scale of SCALES (default
# 1) seeds Neo4j with the demo, starts `innograph serve` over it and runs
# the harness (run.mjs). Every process it starts is stopped when it exits.
#
# Seeding replaces the database's contents, and the Go tests that use
# Neo4j empty it, so the seeding and the measurements of each scale hold
# the Neo4j test lock (the flock of store/neo4j/neo4jtest, on
# $TMPDIR/innograph-neo4j-test.lock).
#
# Environment: SCALES ("1"; "1 20" for both), INNOGRAPH_PORT (18080),
# PEER_PORT (4001), PEER_YEARS (2020-2025), BENCH_ARGS (more options for
# run.mjs, such as "--duration 5 --rounds 2"), NEO4J_URI, NEO4J_USER,
# NEO4J_PASSWORD, NEO4J_DATABASE (the development server's defaults).
# Needs node_modules: `npm ci` in bench/peer first (make bench-peer does).
set -euo pipefail

dir=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$dir/../.." && pwd)
scales=${SCALES:-1}
ig_port=${INNOGRAPH_PORT:-18080}
export PEER_PORT=${PEER_PORT:-4001}
export PEER_YEARS=${PEER_YEARS:-2020-2025}
lock=${TMPDIR:-/tmp}/innograph-neo4j-test.lock
tmp=$(mktemp -d)
pids=()

cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# stop ends one process this script started.
stop() {
	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
	local keep=() p
	for p in "${pids[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
	pids=("${keep[@]}")
}

if [ ! -d "$dir/node_modules" ]; then
	echo "bench-peer: no node_modules: run npm ci in $dir (make bench-peer does)" >&2
	exit 1
fi

echo "bench-peer: building innograph" >&2
(cd "$root" && go build -o "$tmp/innograph" ./cmd/innograph)

echo "bench-peer: starting the peer on 127.0.0.1:$PEER_PORT" >&2
(cd "$dir" && exec node peer-server.mjs) >"$tmp/peer.log" 2>&1 &
pids+=($!)

mkdir -p "$dir/results"
for scale in $scales; do
	echo "bench-peer: scale $scale: waiting for the Neo4j test lock $lock" >&2
	exec 9<>"$lock"
	flock -w 1800 9
	echo "bench-peer: scale $scale: seeding Neo4j" >&2
	"$tmp/innograph" seed --store neo4j --scale "$scale" --log-level warn 9<&-
	"$tmp/innograph" serve --store neo4j --no-seed --addr "127.0.0.1:$ig_port" --log-level warn 9<&- >"$tmp/innograph.log" 2>&1 &
	ig=$!
	pids+=("$ig")
	stamp=$(date -u +%Y%m%dT%H%M%SZ)
	# shellcheck disable=SC2086 # BENCH_ARGS is a list of options
	if ! (cd "$dir" && node run.mjs --innograph "http://127.0.0.1:$ig_port/graphql" --peer "http://127.0.0.1:$PEER_PORT/" \
		--label "scale $scale" --json "results/scale-$scale-$stamp.json" ${BENCH_ARGS:-} 9<&-); then
		echo "bench-peer: scale $scale failed; server logs follow" >&2
		tail -n 20 "$tmp/innograph.log" "$tmp/peer.log" >&2
		exit 1
	fi
	stop "$ig"
	flock -u 9
	exec 9<&-
done
