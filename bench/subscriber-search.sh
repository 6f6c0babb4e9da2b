#!/usr/bin/env bash
# Subscriber search at 1,000,000 subscribers: loads them into a running Carteiro's database with set-based SQL (once;
# re-runs reuse them), then measures p50/p95 of an e-mail-prefix search and of page 1,000 (keyset cursor) through
# the JSON API (HTTP Basic) and the admin page (session cookie). Goal: p95 < 100 ms.
#
# Start Carteiro first, e.g. on the embedded MariaDB:
#   ./mvnw -B package -DskipTests
#   CARTEIRO_ADMIN_EMAIL=bench@carteiro.test CARTEIRO_ADMIN_PASSWORD=bench-password-123 \
#     java -Xmx512m -Dcarteiro.embedded-db.dir=/tmp/carteiro-bench/mariadb -Dcarteiro.embedded-db.port=3317 \
#          -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=8089 -jar target/quarkus-app/quarkus-run.jar
# then:
#   CARTEIRO_URL=http://127.0.0.1:8089 DB_PORT=3317 MARIADB_BASE=/tmp/carteiro-bench/mariadb-base \
#     bench/subscriber-search.sh
#
# Settings (env): CARTEIRO_URL, ADMIN_EMAIL, ADMIN_PASSWORD, DB_HOST, DB_PORT, DB_NAME, MARIADB_BASE (the embedded
# server's base dir holding bin/mariadb and libs/) or MARIADB_CLIENT (any mariadb/mysql client), ROWS, RUNS, WARMUP,
# API_RUNS, API_WARMUP.
set -euo pipefail

URL=${CARTEIRO_URL:-http://127.0.0.1:8080}
ADMIN_EMAIL=${ADMIN_EMAIL:-bench@carteiro.test}
ADMIN_PASSWORD=${ADMIN_PASSWORD:-bench-password-123}
DB_HOST=${DB_HOST:-127.0.0.1}
DB_PORT=${DB_PORT:-3307}
DB_NAME=${DB_NAME:-carteiro}
ROWS=${ROWS:-1000000}
RUNS=${RUNS:-200}
WARMUP=${WARMUP:-20}
# Every API request checks the Basic credentials with bcrypt (cost 12), which costs far more than the search itself,
# so the API cases get fewer runs by default.
API_RUNS=${API_RUNS:-40}
API_WARMUP=${API_WARMUP:-3}
PAGE_SIZE=50
PAGE=1000

if [[ -n "${MARIADB_CLIENT:-}" ]]; then
  client=("$MARIADB_CLIENT")
else
  base=${MARIADB_BASE:-carteiro-data/mariadb-base}
  client=(env "LD_LIBRARY_PATH=$base/libs" "$base/bin/mariadb")
fi
# the embedded database's account and generated password (DB_USER / DB_PASSWORD_FILE for another server)
DB_USER=${DB_USER:-carteiro}
DB_PASSWORD_FILE=${DB_PASSWORD_FILE:-$(dirname "${MARIADB_BASE:-carteiro-data/mariadb-base}")/mariadb-password}
sql() { MYSQL_PWD=$(cat "$DB_PASSWORD_FILE") "${client[@]}" -u"$DB_USER" -h"$DB_HOST" -P"$DB_PORT" --batch \
  --skip-column-names "$DB_NAME" -e "$1" 2>/dev/null; }

# --- data: one list "bench 1M" holding ROWS subscribers bench-<n>@d<n%1000>.example, 3 attributes each
list_id=$(sql "select id from mailing_list where name = 'bench 1M' order by id limit 1")
if [[ -z "$list_id" ]]; then
  list_id=$(curl -sf -u "$ADMIN_EMAIL:$ADMIN_PASSWORD" -H 'Content-Type: application/json' \
    -d '{"name":"bench 1M","optIn":"single","consentText":"Benchmark data."}' "$URL/api/lists" |
    sed -E 's/.*"id":([0-9]+).*/\1/')
fi
have=$(sql "select count(*) from subscription where list_id = $list_id")
if (( have < ROWS )); then
  echo "loading $ROWS subscribers into list $list_id ..."
  start=$(date +%s)
  chunk=100000
  for (( from = have + 1; from <= ROWS; from += chunk )); do
    to=$(( from + chunk - 1 )); (( to > ROWS )) && to=$ROWS
    sql "insert ignore into subscriber (email, email_key, domain, name, attributes, status, created_at, updated_at)
         select concat('bench-', seq, '@d', seq % 1000, '.example'), concat('bench-', seq, '@d', seq % 1000, '.example'),
                concat('d', seq % 1000, '.example'), concat('Bench Person ', seq),
                json_object('city', elt(1 + seq % 5, 'Lisbon', 'Porto', 'Braga', 'Faro', 'Coimbra'),
                            'plan', if(seq % 10 = 0, 'gold', 'basic'), 'n', seq),
                if(seq % 50 = 0, 'bounced', 'active'), now(6), now(6)
         from seq_${from}_to_${to};
         insert ignore into subscription (list_id, subscriber_id, status, source, subscribed_at, confirmed_at, updated_at)
         select $list_id, s.id, 'confirmed', 'import', now(6), now(6), now(6)
         from subscriber s join seq_${from}_to_${to} q
           on s.email_key = concat('bench-', q.seq, '@d', q.seq % 1000, '.example');"
    echo "  $to rows"
  done
  sql "analyze table subscriber, subscription" > /dev/null
  echo "loaded in $(( $(date +%s) - start )) s"
fi
total=$(sql "select count(*) from subscriber")
echo "subscribers in the database: $total; bench list id: $list_id"

# The keyset cursor of page 1,000 is the last id of page 999 (found once here; a user gets it by paging).
skip=$(( (PAGE - 1) * PAGE_SIZE - 1 ))
cursor_list=$(sql "select subscriber_id from subscription where list_id = $list_id order by subscriber_id limit 1 offset $skip")
cursor_all=$(sql "select id from subscriber order by id limit 1 offset $skip")

# --- session for the admin page
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
curl -s -o /dev/null -c "$jar" -d "j_username=$ADMIN_EMAIL" --data-urlencode "j_password=$ADMIN_PASSWORD" \
  "$URL/j_security_check"

# measure NAME CURL-ARGS... : WARMUP unmeasured requests, then RUNS timed ones; prints p50 / p95 / max in ms
measure() {
  local name=$1 runs=$2 warmup=$3; shift 3
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' "$@")
  if [[ "$code" != 200 ]]; then echo "$name: HTTP $code" >&2; return 1; fi
  for (( i = 0; i < warmup; i++ )); do curl -s -o /dev/null "$@"; done
  for (( i = 0; i < runs; i++ )); do curl -s -o /dev/null -w '%{time_total}\n' "$@"; done |
    sort -n | awk -v name="$name" '{ t[NR] = $1 * 1000 } END {
      printf "%-48s p50 %7.1f ms   p95 %7.1f ms   max %7.1f ms   (n=%d)\n",
             name, t[int(NR * 0.50 + 0.5)], t[int(NR * 0.95 + 0.5)], t[NR], NR }'
}

api=(-u "$ADMIN_EMAIL:$ADMIN_PASSWORD")
page=(-b "$jar")
echo "runs per case: pages $RUNS (after $WARMUP warm-up), API $API_RUNS (after $API_WARMUP); page size $PAGE_SIZE"
measure "API  auth only (GET /api/lists/{id})" "$API_RUNS" "$API_WARMUP" "${api[@]}"  "$URL/api/lists/$list_id"
measure "API  e-mail prefix q=bench-12345" "$API_RUNS" "$API_WARMUP" "${api[@]}"  "$URL/api/subscribers?q=bench-12345"
measure "API  e-mail prefix q=bench-1 (111,111 match)" "$API_RUNS" "$API_WARMUP" "${api[@]}"  "$URL/api/subscribers?q=bench-1"
measure "API  page 1000 of the list" "$API_RUNS" "$API_WARMUP" "${api[@]}"  "$URL/api/subscribers?listId=$list_id&after=$cursor_list&limit=$PAGE_SIZE"
measure "API  page 1000 of all subscribers" "$API_RUNS" "$API_WARMUP" "${api[@]}"  "$URL/api/subscribers?after=$cursor_all&limit=$PAGE_SIZE"
measure "page e-mail prefix q=bench-12345" "$RUNS" "$WARMUP" "${page[@]}" "$URL/admin/subscribers?q=bench-12345"
measure "page e-mail prefix q=bench-1 (111,111 match)" "$RUNS" "$WARMUP" "${page[@]}" "$URL/admin/subscribers?q=bench-1"
measure "page 1000 of the list" "$RUNS" "$WARMUP" "${page[@]}" "$URL/admin/subscribers?listId=$list_id&after=$cursor_list"
measure "page 1000 of all subscribers" "$RUNS" "$WARMUP" "${page[@]}" "$URL/admin/subscribers?after=$cursor_all"
measure "page name prefix name=Bench Person 4242" "$RUNS" "$WARMUP" "${page[@]}" "$URL/admin/subscribers?name=Bench+Person+4242"
measure "page list + attribute city:Faro" "$RUNS" "$WARMUP" "${page[@]}" "$URL/admin/subscribers?listId=$list_id&attr=city:Faro"
