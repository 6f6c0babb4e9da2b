#!/usr/bin/env bash
# DSNs per second through the bounce listener end to end (SMTP dialogue, parse, VERP check, bounce row, rules,
# commit, 250), against the embedded MariaDB, with BENCH_CLIENTS concurrent connections on loopback.
# Usage: bench/bounce-listener-bench.sh [DSNS_PER_RUN [CLIENTS [RUNS]]]
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_DSNS=${1:-3000} BENCH_CLIENTS=${2:-8} BENCH_RUNS=${3:-3}
./mvnw -B -o -q test -Dtest=ListenerThroughputBench -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | grep -E '^BENCH|FAIL|ERROR' || true
