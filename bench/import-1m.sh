#!/usr/bin/env bash
# Imports a generated CSV (email, name, 3 attributes) into one list through the API, on the embedded MariaDB,
# with Carteiro limited to a 256 MB heap; prints rows/s and the peak heap seen in /q/metrics.
# Usage: bench/import-1m.sh [rows, default 1000000]   (run from anywhere; builds the jar if missing)
set -euo pipefail
ROWS=${1:-1000000}
cd "$(dirname "$0")/.."
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=${BENCH_HTTP_PORT:-$(free_port)}
DB_PORT=${BENCH_DB_PORT:-$(free_port)}
WORK=target/bench-import
USER=bench@carteiro.local
PASS=bench-password-1
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
rm -rf "$WORK"; mkdir -p "$WORK"
CSV=$WORK/people.csv

echo "generating $ROWS rows"
awk -v n="$ROWS" 'BEGIN {
  print "email,name,city,plan,signup_year";
  for (i = 1; i <= n; i++)
    printf "person%d@example%d.org,Person %d,City %d,%s,%d\n", i, i % 97, i, i % 500, (i % 3 ? "free" : "gold"), 2000 + i % 25
}' > "$CSV"
BYTES=$(stat -c %s "$CSV")

java -Xmx256m ${BENCH_JAVA_OPTS:-} -Dquarkus.http.port="$PORT" -Dcarteiro.embedded-db.dir="$WORK/mariadb" \
  -Dcarteiro.embedded-db.port="$DB_PORT" -Dcarteiro.admin.email="$USER" -Dcarteiro.admin.password="$PASS" \
  -Dcarteiro.imports.dir="$WORK/uploads" -Dcarteiro.bounce.listener-port=0 -jar target/quarkus-app/quarkus-run.jar > "$WORK/app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do
  kill -0 $APP 2> /dev/null || { tail -20 "$WORK/app.log"; exit 1; }
  curl -sf "http://127.0.0.1:$PORT/q/health/ready" > /dev/null && break
  sleep 1
done

# A list to import into: through the lists API when it is there, else straight in the database.
LIST=$(curl -sf -u "$USER:$PASS" -H 'Content-Type: application/json' -d '{"name":"bench"}' \
  "http://127.0.0.1:$PORT/api/lists" | sed -n 's/.*"id":\([0-9]*\).*/\1/p' || true)
if [ -z "$LIST" ]; then
  CLIENT=$(find "$WORK" -path '*bin/*' \( -name mariadb -o -name mysql \) -type f | head -1)
  LIST=$(MYSQL_PWD=$(cat "$WORK/mariadb-password") "$CLIENT" -ucarteiro -h127.0.0.1 -P"$DB_PORT" carteiro -N -e \
    "INSERT INTO mailing_list (name) VALUES ('bench'); SELECT LAST_INSERT_ID();")
fi

heap() {
  curl -sf "http://127.0.0.1:$PORT/q/metrics" | awk '/^jvm_memory_used_bytes\{.*area="heap"/ { s += $NF } END { printf "%d", s }'
}

START=$(date +%s.%N)
ID=$(curl -sf -u "$USER:$PASS" -H 'Content-Type: text/csv' --data-binary @"$CSV" \
  "http://127.0.0.1:$PORT/api/lists/$LIST/imports?legalBasis=benchmark" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
UPLOADED=$(date +%s.%N)
PEAK=0
STATE=queued
while [ "$STATE" != done ] && [ "$STATE" != failed ]; do
  sleep 0.5
  H=$(heap); [ "$H" -gt "$PEAK" ] && PEAK=$H
  JOB=$(curl -sf -u "$USER:$PASS" "http://127.0.0.1:$PORT/api/imports/$ID")
  STATE=$(echo "$JOB" | sed -n 's/.*"state":"\([a-z]*\)".*/\1/p')
done
END=$(date +%s.%N)
echo "$JOB" | sed 's/"errors":\[.*\]/"errors":[…]/' | cut -c1-600
awk -v rows="$ROWS" -v bytes="$BYTES" -v s="$START" -v u="$UPLOADED" -v e="$END" -v peak="$PEAK" 'BEGIN {
  printf "file: %d rows, %.1f MB\n", rows, bytes / 1048576;
  printf "upload: %.1f s; upload to done: %.1f s; %.0f rows/s overall, %.0f rows/s after the upload\n",
    u - s, e - s, rows / (e - s), rows / (e - u);
  printf "peak heap used (sampled every 0.5 s from /q/metrics, -Xmx256m): %.0f MB\n", peak / 1048576 }'
grep -o 'Import #[0-9]* finished in [0-9]* ms' "$WORK/app.log" || true
