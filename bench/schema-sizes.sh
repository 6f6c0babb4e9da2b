#!/usr/bin/env bash
# Table and index sizes at scale (docs/galera.md): a scratch Debian MariaDB (data under target/), the schema
# migrated by the packaged app, then bench/campaign-queue.sql's N subscribers on two lists and one campaign's
# outbound_message rows; prints each table's rows and data/index megabytes (InnoDB's own statistics after ANALYZE).
# Usage (as root): bench/schema-sizes.sh [N]      (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
WORK=$PWD/target/bench-sizes
PORT=${DB_PORT:-3397}
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B package -DskipTests
rm -rf "$WORK" && mkdir -p "$WORK"
mariadb-install-db --no-defaults --datadir="$WORK/data" --skip-test-db --user=root >"$WORK/install.log" 2>&1
/usr/sbin/mariadbd --no-defaults --datadir="$WORK/data" --port="$PORT" --bind-address=127.0.0.1 \
  --socket="$WORK/sock" --user=root --skip-name-resolve --innodb-buffer-pool-size=512M \
  --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci >"$WORK/server.log" 2>&1 &
DB=$!
APP=""
trap 'kill $APP 2>/dev/null || true; kill $DB; wait $DB 2>/dev/null || true' EXIT
sql() { mariadb -S "$WORK/sock" -uroot "$@"; }
for _ in $(seq 1 120); do sql -e "select 1" >/dev/null 2>&1 && break; sleep 0.5; done
sql -e "CREATE DATABASE carteiro CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
        CREATE USER carteiro@'127.0.0.1' IDENTIFIED BY 'sizes'; GRANT ALL ON *.* TO carteiro@'127.0.0.1';"
QUARKUS_DATASOURCE_PASSWORD=sizes java -Xmx384m -Dquarkus.datasource.jdbc.url="jdbc:mariadb://127.0.0.1:$PORT/carteiro" \
  -Dquarkus.datasource.username=carteiro -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=0 \
  -Dquarkus.management.port=0 -Dcarteiro.bounce.listener-host=127.0.0.1 -Dcarteiro.bounce.listener-port=0 \
  -Dcarteiro.delivery.sender-enabled=false -Dcarteiro.data-dir="$WORK/app" \
  -jar target/quarkus-app/quarkus-run.jar >"$WORK/app.log" 2>&1 &
APP=$!
for _ in $(seq 1 300); do grep -q " started in " "$WORK/app.log" && break; sleep 1; done
kill $APP; wait $APP 2>/dev/null || true; APP=""
{ echo "SET @n = $N;"; cat bench/campaign-queue.sql; } | sql carteiro >/dev/null
sql carteiro -e "ANALYZE TABLE subscriber, subscription, outbound_message, consent_event" >/dev/null
echo "N=$N subscribers, $(date -u +%FT%TZ)"
sql -t -e "SELECT table_name AS \`table\`, table_rows AS \`rows (estimate)\`,
  ROUND(data_length / 1048576) AS data_mb, ROUND(index_length / 1048576) AS index_mb
  FROM information_schema.TABLES WHERE table_schema = 'carteiro'
  AND table_name IN ('subscriber', 'subscription', 'outbound_message', 'consent_event') ORDER BY table_name;
  SELECT index_name, ROUND(stat_value * @@innodb_page_size / 1048576) AS size_mb
  FROM mysql.innodb_index_stats WHERE database_name = 'carteiro' AND table_name = 'outbound_message'
  AND stat_name = 'size' ORDER BY index_name;"
