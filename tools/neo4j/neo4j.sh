#!/usr/bin/env bash
# Neo4j Community 5 server for InnoGraph development, tests and CI.
#
#   neo4j.sh up      build the server jar if needed, start it in the background and return
#                    once Bolt accepts connections with NEO4J_PASSWORD (exit 0 if already up)
#   neo4j.sh down    stop it (SIGTERM, then SIGKILL after NEO4J_STOP_TIMEOUT seconds)
#   neo4j.sh status  exit 0 if it is running and Bolt accepts connections
#
# Environment (defaults in brackets):
#   NEO4J_PASSWORD        password of user neo4j, at least 8 characters [innograph-dev]
#   NEO4J_BOLT_PORT       Bolt port on 127.0.0.1 [7687]
#   NEO4J_BOLT_HOST       Bolt listen address [127.0.0.1]
#   NEO4J_HOME_DIR        data, logs and pid file [${XDG_STATE_HOME:-$HOME/.local/state}/innograph/neo4j]
#   NEO4J_HEAP            JVM maximum heap [1g]
#   NEO4J_PAGECACHE       Neo4j page cache [256m]
#   NEO4J_JAVA_OPTS       extra JVM options []
#   NEO4J_START_TIMEOUT   seconds 'up' waits for the server [180]
#   NEO4J_STOP_TIMEOUT    seconds 'down' waits before SIGKILL [60]
#   JAVA_HOME             Java 17 or 21 to run with [java on PATH]
set -euo pipefail

TOOL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="$TOOL_DIR/target/innograph-neo4j-dev.jar"
LIB_DIR="$TOOL_DIR/target/lib"

export NEO4J_HOME_DIR="${NEO4J_HOME_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/innograph/neo4j}"
export NEO4J_PASSWORD="${NEO4J_PASSWORD:-innograph-dev}"
export NEO4J_BOLT_PORT="${NEO4J_BOLT_PORT:-7687}"
export NEO4J_BOLT_HOST="${NEO4J_BOLT_HOST:-127.0.0.1}"
export NEO4J_PAGECACHE="${NEO4J_PAGECACHE:-256m}"
NEO4J_HEAP="${NEO4J_HEAP:-1g}"
START_TIMEOUT="${NEO4J_START_TIMEOUT:-180}"
STOP_TIMEOUT="${NEO4J_STOP_TIMEOUT:-60}"

PID_FILE="$NEO4J_HOME_DIR/neo4j.pid"
LOG_FILE="$NEO4J_HOME_DIR/neo4j.log"
LOCK_FILE="$NEO4J_HOME_DIR/neo4j.lock"
BUILD_LOG="$NEO4J_HOME_DIR/build.log"

case "$NEO4J_BOLT_HOST" in
  0.0.0.0 | :: | "[::]") PROBE_HOST=127.0.0.1 ;;
  *) PROBE_HOST="$NEO4J_BOLT_HOST" ;;
esac
BOLT_URI="bolt://$PROBE_HOST:$NEO4J_BOLT_PORT"

say() { echo "neo4j: $*"; }
die() { echo "neo4j: $*" >&2; exit 1; }

java_cmd() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    echo "$JAVA_HOME/bin/java"
  else
    command -v java || die "java not found (Java 17 or 21 is needed)"
  fi
}

# Serialises up/down of concurrent callers (parallel test runs, several terminals).
take_lock() {
  mkdir -p "$NEO4J_HOME_DIR"
  exec 9>"$LOCK_FILE"
  flock -w 600 9 || die "could not lock $LOCK_FILE"
}

# Prints the pid of the running server, or fails.
running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # Guard against a recycled pid.
  # (Read whole, not piped into grep -q: under pipefail an early exit of grep fails the pipe.)
  local cmdline
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
  [[ "$cmdline" == *innograph-neo4j-dev.jar* ]] || return 1
  echo "$pid"
}

port_open() {
  (exec 3<>"/dev/tcp/$PROBE_HOST/$NEO4J_BOLT_PORT") 2>/dev/null
}

# The server prints READY once a Bolt client has logged in with NEO4J_PASSWORD and run a query.
ready() {
  grep -q "\[innograph-neo4j\] READY" "$LOG_FILE" 2>/dev/null && port_open
}

jar_up_to_date() {
  [[ -f "$JAR" && -d "$LIB_DIR" ]] || return 1
  [[ -z "$(find "$TOOL_DIR/pom.xml" "$TOOL_DIR/src" -newer "$JAR" -print -quit)" ]]
}

build() {
  if jar_up_to_date; then
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found (Maven is needed to build $JAR)"
  say "building $(basename "$JAR") (Maven)"
  mkdir -p "$NEO4J_HOME_DIR"
  if ! (cd "$TOOL_DIR" && mvn -q -B -Dstyle.color=never package -DskipTests) >"$BUILD_LOG" 2>&1; then
    tail -n 40 "$BUILD_LOG" >&2
    die "build failed, full output in $BUILD_LOG"
  fi
  touch "$JAR"
}

show_log_tail() {
  if [[ -f "$LOG_FILE" ]]; then
    echo "---- last lines of $LOG_FILE ----" >&2
    tail -n 40 "$LOG_FILE" >&2
    echo "---- (more in $NEO4J_HOME_DIR/logs/debug.log) ----" >&2
  fi
}

cmd_up() {
  take_lock
  local pid
  if pid="$(running_pid)"; then
    if ready; then
      say "already running (pid $pid), $BOLT_URI"
      return 0
    fi
    die "process $pid is running but not ready on $BOLT_URI; see $LOG_FILE or run 'neo4j.sh down'"
  fi
  rm -f "$PID_FILE"
  if port_open; then
    die "port $NEO4J_BOLT_PORT on $PROBE_HOST is already in use by another process"
  fi
  (( ${#NEO4J_PASSWORD} >= 8 )) || die "NEO4J_PASSWORD must have at least 8 characters"

  build
  local java started
  java="$(java_cmd)"
  started=$SECONDS
  [[ -f "$LOG_FILE" ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"

  # shellcheck disable=SC2086 # NEO4J_JAVA_OPTS is a list of options
  nohup setsid "$java" \
    -Xms256m "-Xmx$NEO4J_HEAP" \
    -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow -XX:+DisableExplicitGC \
    -Djdk.nio.maxCachedBufferSize=1024 -Dio.netty.tryReflectionSetAccessible=true \
    -Dlog4j2.disable.jmx=true \
    ${NEO4J_JAVA_OPTS:-} \
    -jar "$JAR" >"$LOG_FILE" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid" >"$PID_FILE"
  say "starting (pid $pid), log $LOG_FILE"

  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      show_log_tail
      die "server exited during start-up"
    fi
    if grep -q "\[innograph-neo4j\] FAILED" "$LOG_FILE" 2>/dev/null; then
      show_log_tail
      stop_pid "$pid"
      die "server failed to start"
    fi
    if ready; then
      say "up after $((SECONDS - started)) s: $BOLT_URI (user neo4j), data $NEO4J_HOME_DIR"
      return 0
    fi
    if (( SECONDS - started >= START_TIMEOUT )); then
      show_log_tail
      stop_pid "$pid"
      die "not ready after ${START_TIMEOUT} s"
    fi
    sleep 1
  done
}

stop_pid() {
  local pid="$1" waited=0
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    if (( waited >= STOP_TIMEOUT )); then
      say "still running after ${STOP_TIMEOUT} s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 1
    waited=$((waited + 1))
  done
  rm -f "$PID_FILE"
}

cmd_down() {
  take_lock
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    say "not running"
    return 0
  fi
  say "stopping (pid $pid)"
  stop_pid "$pid"
  say "stopped"
}

cmd_status() {
  local pid
  if ! pid="$(running_pid)"; then
    say "not running"
    return 1
  fi
  if ! ready; then
    say "process $pid is running, but not ready on $BOLT_URI (yet)"
    return 1
  fi
  say "running (pid $pid), $BOLT_URI, data $NEO4J_HOME_DIR"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *)
    echo "usage: $(basename "$0") up|down|status" >&2
    exit 2
    ;;
esac
