#!/usr/bin/env bash
# Campaign end-to-end benchmark (issue 4): N confirmed subscribers in 100 domains (dN.bench.test, MX records from
# dnsmasq pointing at Postfix smtp-sink instances on 127.0.1.1-10:25), one list, RSA-2048 DKIM for the sending
# domain, a campaign created and sent "now" through the JSON API. Carteiro runs with -Xmx512m on a standalone MariaDB.
# Measures: "send now" -> first message sent (first outbound_message row in state 'sent', polled every 0.2 s),
# time to queue all N recipients, sustained end-to-end rate, and heap (jvm_memory_used_bytes{area="heap"} summed
# over pools, sampled from /q/metrics every 2 s).
# Campaign pacing: no messages-per-hour, no sending window, no warm-up (so the campaign is unthrottled and its rows
# are queued due now; the ticker's release step is not on the path); engine per-destination/global rates left at
# their defaults (0 = unlimited).
# Usage (as root): flock /tmp/carteiro-bench.lock bench/campaign-1m.sh [N]     env: SESSIONS (default 32),
# QUEUE_ONLY=1 (sender disabled: measures only the time to queue N recipients, then stops)
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-1000000}
DOMAINS=100
SINKS=10
DB_PORT=${DB_PORT:-3398}
DNS_PORT=${DNS_PORT:-5355}
WORK=$PWD/target/bench-campaign
APP_HEAP=512m
export CARTEIRO_ADMIN_EMAIL=bench@carteiro.test
export CARTEIRO_ADMIN_PASSWORD="bench password 123" # loopback.sh also passes it as -Dcarteiro.admin.password
source bench/lib/loopback.sh
need /usr/sbin/smtp-sink /usr/sbin/dnsmasq /usr/bin/openssl /usr/bin/bc /usr/bin/curl
[ -f "$JAR" ] || ./mvnw -q -B package -DskipTests
rm -rf "$WORK" && mkdir -p "$WORK"
echo "campaign benchmark: N=$N, $DOMAINS domains, $SINKS sinks, $(nproc) cores, -Xmx$APP_HEAP, load $(loadavg), $(date -u +%FT%TZ)"

start_sinks $SINKS
start_dns $DOMAINS $SINKS $DNS_PORT
start_db "$DB_PORT"

echo "== loading $N confirmed subscribers (set-based, seq_1_to_$N)"
t0=$(date +%s.%N)
sql "INSERT INTO mailing_list (name, opt_in, from_email, from_name) VALUES ('Bench list', 'single', 'news@sender.test', 'Boletim');
     SET @list = LAST_INSERT_ID();
     INSERT INTO subscriber (email, email_key, domain, name, status)
     SELECT CONCAT('reader', seq, '@d', seq % $DOMAINS + 1, '.bench.test'), CONCAT('reader', seq, '@d', seq % $DOMAINS + 1, '.bench.test'),
            CONCAT('d', seq % $DOMAINS + 1, '.bench.test'), CONCAT('Reader ', seq), 'active'
     FROM seq_1_to_$N;
     INSERT INTO subscription (list_id, subscriber_id, status, source, confirmed_at)
     SELECT @list, id, 'confirmed', 'import', NOW(6) FROM subscriber;"
LIST_ID=$(sql "select max(id) from mailing_list")
echo "loaded in $(echo "$(date +%s.%N) - $t0" | bc -l | xargs printf '%.1f')s (list $LIST_ID)"

key=$(openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -outform DER | base64 -w0)
pub=$(echo "$key" | base64 -d | openssl pkey -inform DER -pubout -outform DER | base64 -w0)
sql "INSERT INTO dkim_key (domain, selector, algorithm, private_key, public_key) VALUES ('sender.test', 'bench', 'rsa-sha256', '$key', '$pub')"

app_start campaign "$([ -n "${QUEUE_ONLY:-}" ] && echo false || echo true)"
PORT=$(grep -o 'Listening on: http://127.0.0.1:[0-9]*' "$WORK/app-campaign.log" | head -1 | sed 's/.*://')
API="http://127.0.0.1:$PORT"
AUTH=(-u "$CARTEIRO_ADMIN_EMAIL:$CARTEIRO_ADMIN_PASSWORD")

heap_mb() { curl -s "http://127.0.0.1:$MGMT_PORT/q/metrics" | awk '/^jvm_memory_used_bytes\{.*area="heap"/{s += $NF} END {printf "%.0f", s / 1048576}'; }
( while kill -0 "$APP_PID" 2>/dev/null; do echo "$(date +%s) $(heap_mb)"; sleep 2; done ) >"$WORK/heap.log" 2>/dev/null &
BENCH_PIDS+=($!)

body=$(printf '<p>Olá {subscriber.name}</p>%s<p><a href="{unsubscribeUrl}">Cancelar inscrição</a></p>' \
  "$(for _ in $(seq 1 40); do printf '<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>'; done)")
json=$(printf '{"name":"Bench %s","subject":"Novidades para {subscriber.name}","fromEmail":"news@sender.test","listIds":[%s],"html":"%s","text":"Olá {subscriber.name}\\nCancelar: {unsubscribeUrl}\\n"}' \
  "$N" "$LIST_ID" "${body//\"/\\\"}")
CID=$(curl -sf "${AUTH[@]}" -H 'Content-Type: application/json' -d "$json" "$API/api/campaigns" | sed 's/.*"id":\([0-9]*\).*/\1/')
echo "campaign $CID created; sending now"

t_send=$(date +%s.%N)
curl -sf "${AUTH[@]}" -H 'Content-Type: application/json' -d '{"sendAt":null}' "$API/api/campaigns/$CID/schedule" >/dev/null
t_first="" t_queued="" deadline=$(( $(date +%s) + 3600 ))
while [ "$(date +%s)" -lt $deadline ]; do
  if [ -z "$t_first" ] && [ -n "$(sql "select 1 from outbound_message where campaign_id = $CID and state = 'sent' limit 1")" ]; then
    t_first=$(date +%s.%N)
  fi
  # Queued: the campaign's range cursor is gone (every range committed). Read from the campaign row, not by counting
  # outbound_message, so that the polling itself does not load the database while it queues and sends.
  if [ -z "$t_queued" ] && [ "$(sql "select count(*) from campaign where id = $CID and started_at is not null and queue_end is null")" = 1 ]; then
    t_queued=$(date +%s.%N)
    [ -n "${QUEUE_ONLY:-}${STOP_AFTER_QUEUED:-}" ] && break
  fi
  polls=$((${polls:-0} + 1))
  if [ -n "$t_queued" ] && [ $((polls % 10)) = 0 ] && [ "$(sql "select count(*) from outbound_message where campaign_id = $CID and state in ('queued', 'sending', 'deferred')")" = 0 ]; then
    break
  fi
  sleep 0.2
done
t_done=$(date +%s.%N)
load=$(loadavg)
cpu=$(cpu_seconds "$APP_PID"); rss=$(peak_rss_mb "$APP_PID")
sent=$(sql "select count(*) from outbound_message where campaign_id = $CID and state = 'sent'")
other=$(sql "select coalesce(group_concat(concat(state, ':', c)), 'none') from (select state, count(*) c from outbound_message where campaign_id = $CID and state <> 'sent' group by state) x")
span=$(sql "select timestampdiff(microsecond, min(sent_at), max(sent_at))/1e6 from outbound_message where campaign_id = $CID")
sunk=$(cat "$WORK"/sink-*.log | wc -l)
status=$(curl -s "${AUTH[@]}" "$API/api/campaigns/$CID")
f() { echo "$1" | bc -l | xargs printf '%.1f'; }
heap_peak=$(awk '$2 > m {m = $2} END {print m}' "$WORK/heap.log")
heap_series=$(awk '{printf "%s ", $2}' "$WORK/heap.log")
echo "RESULT campaign N=$N: first message sent $(f "${t_first:-$t_done} - $t_send")s after send-now;" \
     "all $N queued after $(f "${t_queued:-$t_done} - $t_send")s; done after $(f "$t_done - $t_send")s;" \
     "sent $sent (not sent: ${other:-none}); rate $(echo "$sent / $span" | bc -l | xargs printf '%.0f') msg/s first-to-last sent_at (${span}s)," \
     "$(echo "$sent / ($t_done - $t_send)" | bc -l | xargs printf '%.0f') msg/s from send-now to done;" \
     "heap peak ${heap_peak} MB (-Xmx$APP_HEAP), peak RSS ${rss} MB, app CPU ${cpu}s; load $load"
echo "heap samples (MB, every 2 s): $heap_series"
echo "API status: $status"
echo "smtp-sink log lines: $sunk"
