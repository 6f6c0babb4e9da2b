#!/usr/bin/env bash
# Load benchmark of the click redirect (/r/<token>) against a running Carteiro on its embedded MariaDB, driven from
# outside the JVM by Debian's wrk with distinct signed tokens, then the settle step and the report of that campaign.
#   bench/clicks.sh [RECIPIENTS] [DURATION] [CONNECTIONS]
# Needs: apt-get install -y wrk; ./mvnw package -DskipTests (target/quarkus-app). Loopback only; stops by itself.
# The campaign's tracked links, list and subscribers are written in SQL (a bench setup, not a test); the tokens are
# signed by bench/click_tokens.py, an independent implementation of the documented format. Issue 16 asks for tokens
# taken from a real 1M-recipient campaign's messages (bench/campaign-1m.sh with a dumping sink): not done yet.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}; DURATION=${2:-30s}; CONNECTIONS=${3:-32}
HTTP_PORT=${HTTP_PORT:-18081}; DB_PORT=${DB_PORT:-3318}
WORK=$(mktemp -d "$PWD/target/clicks-bench.XXXX")
KEY_ID=bench; SECRET=bench-secret-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

CARTEIRO_LINKS_KEYS_BENCH="$SECRET" CARTEIRO_LINKS_CURRENT_KEY=$KEY_ID CARTEIRO_ADMIN_PASSWORD=bench-password-1234 \
  CARTEIRO_DATA_DIR="$WORK/data" QUARKUS_HTTP_PORT=$HTTP_PORT QUARKUS_HTTP_HOST=127.0.0.1 \
  QUARKUS_LOG_CONSOLE_LEVEL=WARN CARTEIRO_API_BASIC_AUTH=true \
  java -Dcarteiro.embedded-db.dir="$WORK/mariadb" -Dcarteiro.embedded-db.port=$DB_PORT -Xmx1g \
  -jar target/quarkus-app/quarkus-run.jar > "$WORK/carteiro.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do
  curl -fs "http://127.0.0.1:$HTTP_PORT/q/health/ready" >/dev/null 2>&1 && break; sleep 1
done

SQL() { "$WORK/mariadb-base/bin/mariadb" -h127.0.0.1 -P$DB_PORT -uroot -N carteiro -e "$1"; }
SQL "insert into mailing_list (name, opt_in, from_email, public_form, tracking) values ('Clicks', 'single', 'bench@example.org', false, 'subscriber')"
LIST=$(SQL "select max(id) from mailing_list")
SQL "insert into campaign (name, subject, from_email, html, status, started_at) values ('Clicks', 'Clicks', 'bench@example.org', '<p>x</p>', 'finished', now(6))"
CAMPAIGN=$(SQL "select max(id) from campaign")
SQL "insert into tracked_link (campaign_id, link_no, url, created_at) values ($CAMPAIGN, 1, 'https://example.org/a', now(6)), ($CAMPAIGN, 2, 'https://example.org/b', now(6)), ($CAMPAIGN, 3, 'https://example.org/c', now(6))"
SQL "insert into subscriber (email, email_key, domain) select concat('c', seq, '@clicks.example'), concat('c', seq, '@clicks.example'), 'clicks.example' from seq_1_to_$N"
SQL "select id from subscriber where domain = 'clicks.example' order by id" \
  | python3 bench/click_tokens.py $KEY_ID "$SECRET" "$CAMPAIGN" "$LIST" 3 clicks.example $(( $(date +%s) - 3600 )) \
  > "$WORK/tokens.txt"
echo "tokens: $(wc -l < "$WORK/tokens.txt"); campaign $CAMPAIGN"

head -5000 "$WORK/tokens.txt" > "$WORK/warm.txt"
TOKENS="$WORK/warm.txt" WRK_THREADS=2 wrk -t2 -c8 -d10s -s bench/clicks.lua "http://127.0.0.1:$HTTP_PORT" > /dev/null
tail -n +5001 "$WORK/tokens.txt" > "$WORK/run.txt"
echo "== wrk -t2 -c$CONNECTIONS -d$DURATION"
TOKENS="$WORK/run.txt" WRK_THREADS=2 wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/clicks.lua \
  "http://127.0.0.1:$HTTP_PORT"
echo "== hits written: $(SQL "select count(*) from engagement_pending") pending, $(SQL "select count(*) from engagement_hit") judged"
echo "== waiting for the settle step (settle-after 40 s)"
for _ in $(seq 1 600); do
  [ "$(SQL "select count(*) from engagement_pending")" = 0 ] && break; sleep 1
done
SQL "select human_clicks, machine_clicks, unique_human_clicks from campaign_engagement where campaign_id = $CAMPAIGN"
echo "== report (5 requests, each timed)"
for _ in 1 2 3 4 5; do
  curl -s -o /dev/null -w "%{http_code} %{time_total}s\n" -u admin@carteiro.test:bench-password-1234 \
    "http://127.0.0.1:$HTTP_PORT/api/campaigns/$CAMPAIGN/report"
done
