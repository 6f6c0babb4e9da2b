#!/usr/bin/env bash
# Galera benchmark (issue 14.12): a three-node MariaDB Galera cluster (Debian's mariadb-server + galera-4, loopback
# ports, data under target/), two packaged Carteiro instances, a campaign of N recipients to loopback exchangers;
# mid-way one Carteiro and then the writer node are killed with SIGKILL. Prints the recipients
# lost, those reached twice, how often the campaign's Quartz job fired and the deadlock/certification errors
# retried. It is GaleraClusterTest at a bigger size (CI runs it with 2,000).
# Usage (as root): flock /tmp/carteiro-bench.lock bench/galera.sh [N]      (default 20000; RUNS=3 for a median;
#   by default both instances write to the same node, the single-writer setup of k8s/README.md; SAME_NODE=false
#   gives them different writer nodes)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20000}
RUNS=${RUNS:-1}
for program in /usr/sbin/mariadbd /usr/bin/mariadb-install-db /usr/lib/galera/libgalera_smm.so /usr/bin/rsync; do
  [ -e "$program" ] || { echo "missing $program (apt-get install mariadb-server galera-4 rsync)" >&2; exit 2; }
done
echo "galera benchmark: N=$N, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
for run in $(seq 1 "$RUNS"); do
  CARTEIRO_GALERA_RECIPIENTS=$N CARTEIRO_GALERA_SAME_NODE=${SAME_NODE:-true} CARTEIRO_REQUIRE_SYSTEM_TOOLS=true \
    ./mvnw -q -B test -Dtest=GaleraClusterTest -Dsurefire.failIfNoSpecifiedTests=false 2>&1 \
    | grep -E '^galera:|FAIL|Tests run:.*Fail' || true
done
