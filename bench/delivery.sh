#!/usr/bin/env bash
# STATUS: not working yet (see docs/benchmarks.md, "Delivery engine"): the loader app fails at start-up.
# Delivery engine benchmark: N personalised ~20 KB messages to 50 recipient domains whose MX records (dnsmasq on
# 127.0.0.1:5354) point at Postfix smtp-sink instances on 127.0.1.1-10:25; queue on the embedded MariaDB.
# Runs: smtp-source straight into one sink (the wire reference), Carteiro unsigned, Carteiro with RSA-2048 DKIM.
# Needs (Debian): postfix (smtp-sink, smtp-source), dnsmasq; run as root. Usage: bench/delivery.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-100000}
DOMAINS=50
SINKS=10
DB_PORT=3399
DNS_PORT=5354
WORK=target/bench
JAR=target/quarkus-app/quarkus-run.jar
for program in /usr/sbin/smtp-sink /usr/sbin/smtp-source /usr/sbin/dnsmasq; do
  [ -x "$program" ] || { echo "missing $program (apt-get install postfix dnsmasq)"; exit 2; }
done
[ -f "$JAR" ] || ./mvnw -q -B package -DskipTests
rm -rf "$WORK" && mkdir -p "$WORK"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

for i in $(seq 1 $SINKS); do
  /usr/sbin/smtp-sink -u nobody -c "127.0.1.$i:25" 1000 >"$WORK/sink-$i.log" 2>&1 &
  pids+=($!)
done
dns_args=()
for d in $(seq 1 $DOMAINS); do
  sink=$(( (d - 1) % SINKS + 1 ))
  dns_args+=("--mx-host=d$d.bench.test,mx.d$d.bench.test,10" "--host-record=mx.d$d.bench.test,127.0.1.$sink")
done
/usr/sbin/dnsmasq --keep-in-foreground --no-resolv --no-hosts --conf-file=/dev/null --listen-address=127.0.0.1 \
  --port=$DNS_PORT --bind-interfaces --user=nobody --pid-file= "${dns_args[@]}" >"$WORK/dnsmasq.log" 2>&1 &
pids+=($!)
sleep 1

echo "== reference: smtp-source -s 20 -m $N -l 20480 into 127.0.1.1:25"
start=$(date +%s.%N)
/usr/sbin/smtp-source -s 20 -m "$N" -l 20480 -f bench@sender.test -t rcpt@d1.bench.test 127.0.1.1:25
end=$(date +%s.%N)
echo "smtp-source: $(echo "$N / ($end - $start)" | bc -l | xargs printf '%.0f') messages/s"

app() { # $1 = name, $2 = sender enabled
  java -Xmx2g -Dcarteiro.embedded-db.dir="$WORK/db" -Dcarteiro.embedded-db.port=$DB_PORT \
    -Dquarkus.http.port=0 -Dcarteiro.admin.password="bench password 123" \
    -Dcarteiro.delivery.sender-enabled="$2" -Dcarteiro.delivery.dns-servers=127.0.0.1:$DNS_PORT \
    -Dcarteiro.delivery.allow-private-exchangers=true -Dcarteiro.delivery.ehlo-name=bench.carteiro.test \
    -Dcarteiro.bounce.domain=bounces.sender.test -Dcarteiro.delivery.sessions=${SESSIONS:-48} \
    -Dquarkus.log.console.level=WARN -jar "$JAR" >"$WORK/app-$1.log" 2>&1 &
  echo $!
}
sql() { "$WORK/db-base/bin/mariadb" --protocol=tcp -h127.0.0.1 -P$DB_PORT -uroot carteiro -N -e "$1"; }
wait_schema() { for _ in $(seq 1 240); do sql "select 1 from flyway_schema_history where version='11'" 2>/dev/null | grep -q 1 && return; sleep 0.5; done; echo "no schema"; exit 1; }

load_queue() {
  sql "DELETE FROM outbound_message; DELETE FROM delivery_attempt;"
  sql "INSERT INTO outbound_message (recipient, recipient_domain, sender, state, priority, next_attempt_at,
         expires_at, message_id, created_at)
       SELECT CONCAT('reader', seq, '@d', seq % $DOMAINS + 1, '.bench.test'), CONCAT('d', seq % $DOMAINS + 1, '.bench.test'),
              'news@sender.test', 'queued', 0, NOW(6) + INTERVAL 1 DAY, NOW(6) + INTERVAL 3 DAY,
              CONCAT('<bench', seq, '@sender.test>'), NOW(6)
       FROM seq_1_to_$N;
       INSERT INTO outbound_content (outbound_message_id, from_header, subject, html, text)
       SELECT id, 'Boletim <news@sender.test>', CONCAT('Novidades para ', recipient),
              CONCAT('<p>Olá ', recipient, '</p>', REPEAT('<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>', 225)),
              CONCAT('Olá ', recipient, '\n', REPEAT('Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n', 100))
       FROM outbound_message;"
}

run() { # $1 = name
  local pid; pid=$(app "$1" true)
  pids+=("$pid")
  local t0; t0=$(date +%s.%N)
  for _ in $(seq 1 7200); do
    left=$(sql "select count(*) from outbound_message where state <> 'sent'" 2>/dev/null || echo x)
    [ "$left" = "0" ] && break
    sleep 0.5
  done
  local t1; t1=$(date +%s.%N)
  local cpu; cpu=$(awk '{print ($14+$15)/100}' /proc/$pid/stat)
  local rss; rss=$(awk '/VmHWM/{print $2/1024}' /proc/$pid/status)
  local db; db=$(pgrep -f "mariadbd.*$DB_PORT" | head -1)
  local dbcpu; dbcpu=$(awk '{print ($14+$15)/100}' /proc/$db/stat)
  local span; span=$(sql "select timestampdiff(microsecond, min(sent_at), max(sent_at))/1e6 from outbound_message")
  local failed; failed=$(sql "select count(*) from outbound_message where state <> 'sent'")
  echo "$1: $N messages in ${span}s between first and last delivery = $(echo "$N / $span" | bc -l | xargs printf '%.0f') messages/s;" \
       "wall incl. start $(echo "$t1 - $t0" | bc -l | xargs printf '%.1f')s; app CPU ${cpu}s, peak RSS ${rss} MB; MariaDB CPU ${dbcpu}s; not sent: $failed"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

loader=$(app load false); pids+=("$loader")
wait_schema
echo "== loading $N messages"
load_queue
sql "UPDATE outbound_message SET next_attempt_at = NOW(6)"
kill "$loader"; wait "$loader" 2>/dev/null || true

echo "== Carteiro, unsigned"
run unsigned

echo "== Carteiro, RSA-2048 DKIM"
loader=$(app load2 false); pids+=("$loader")
wait_schema
key=$(openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -outform DER 2>/dev/null | base64 -w0)
pub=$(echo "$key" | base64 -d | openssl pkey -inform DER -pubout -outform DER | base64 -w0)
sql "DELETE FROM dkim_key WHERE domain = 'sender.test';
     INSERT INTO dkim_key (domain, selector, algorithm, private_key, public_key) VALUES ('sender.test', 'bench', 'rsa-sha256', '$key', '$pub');
     UPDATE outbound_message SET state = 'queued', next_attempt_at = NOW(6), sent_at = NULL, attempts = 0;
     DELETE FROM delivery_attempt;"
kill "$loader"; wait "$loader" 2>/dev/null || true
run rsa-dkim
