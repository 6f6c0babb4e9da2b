#!/usr/bin/env bash
# Delivery engine benchmark (issue 3): N personalised ~20 KB messages to 50 recipient domains whose MX records
# (dnsmasq on 127.0.0.1:DNS_PORT) point at Postfix smtp-sink instances on 127.0.1.1-10:25; queue on MariaDB.
# Runs, against the same sinks: smtp-source (the wire limit), Carteiro unsigned, Carteiro with RSA-2048 DKIM, and a
# private Postfix instance (own config and queue under /tmp, smtpd on 127.0.0.1:POSTFIX_PORT, routed to the sinks by
# a transport map). Everything stays on loopback; everything started is stopped on exit.
# Usage (as root): flock /tmp/carteiro-bench.lock bench/delivery.sh [N]    env: SESSIONS, RUNS, SKIP_POSTFIX=1
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-100000}
RUNS=${RUNS:-1}
DOMAINS=50
SINKS=10
DB_PORT=${DB_PORT:-3399}
DNS_PORT=${DNS_PORT:-5354}
POSTFIX_PORT=${POSTFIX_PORT:-2627}
WORK=$PWD/target/bench-delivery
source bench/lib/loopback.sh
need /usr/sbin/smtp-sink /usr/sbin/smtp-source /usr/sbin/dnsmasq /usr/sbin/postfix /usr/bin/openssl /usr/bin/bc
[ -f "$JAR" ] || ./mvnw -q -B package -DskipTests
rm -rf "$WORK" && mkdir -p "$WORK"
echo "delivery benchmark: N=$N, $DOMAINS domains, $SINKS sinks, $(nproc) cores, load $(loadavg), $(date -u +%FT%TZ)"

start_sinks $SINKS
start_dns $DOMAINS $SINKS $DNS_PORT
start_db "$DB_PORT"

load_queue() {
  sql "DELETE FROM delivery_attempt; DELETE FROM outbound_content; DELETE FROM outbound_message;"
  sql "INSERT INTO outbound_message (recipient, recipient_domain, sender, state, priority, next_attempt_at,
         expires_at, message_id, created_at)
       SELECT CONCAT('reader', seq, '@d', seq % $DOMAINS + 1, '.bench.test'), CONCAT('d', seq % $DOMAINS + 1, '.bench.test'),
              'news@sender.test', 'queued', 0, NOW(6), NOW(6) + INTERVAL 3 DAY,
              CONCAT('<bench', seq, '@sender.test>'), NOW(6)
       FROM seq_1_to_$N;
       INSERT INTO outbound_content (outbound_message_id, from_header, subject, html, text)
       SELECT id, 'Boletim <news@sender.test>', CONCAT('Novidades para ', recipient),
              CONCAT('<p>Olá ', recipient, '</p>', REPEAT('<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>', 150)),
              CONCAT('Olá ', recipient, '\n', REPEAT('Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n', 110))
       FROM outbound_message;"
}
requeue() { sql "UPDATE outbound_message SET state = 'queued', next_attempt_at = NOW(6), sent_at = NULL, attempts = 0,
                   lease_owner = NULL, lease_until = NULL; DELETE FROM delivery_attempt;" || \
            sql "UPDATE outbound_message SET state = 'queued', next_attempt_at = NOW(6), sent_at = NULL, attempts = 0;
                   DELETE FROM delivery_attempt;"; }

carteiro() { # $1 = name
  local t0 t1 left="" cpu rss span rate failed db0 db1
  db0=$(cpu_seconds "$DB_PID")
  t0=$(date +%s.%N)
  app_start "$1" true
  local deadline=$(( $(date +%s) + 1800 ))
  while [ "$(date +%s)" -lt $deadline ]; do
    left=$(sql "select count(*) from outbound_message where state in ('queued', 'sending', 'deferred')" || echo x)
    [ "$left" = "0" ] && break
    sleep 0.5
  done
  t1=$(date +%s.%N)
  cpu=$(cpu_seconds "$APP_PID"); rss=$(peak_rss_mb "$APP_PID"); db1=$(cpu_seconds "$DB_PID")
  span=$(sql "select timestampdiff(microsecond, min(sent_at), max(sent_at))/1e6 from outbound_message")
  failed=$(sql "select count(*) from outbound_message where state <> 'sent'")
  rate=$(echo "$N / $span" | bc -l | xargs printf '%.0f')
  echo "RESULT carteiro-$1: $rate msg/s (first to last delivery ${span}s); wall incl. JVM start $(echo "$t1 - $t0" | bc -l | xargs printf '%.1f')s;" \
       "app CPU ${cpu}s ($(echo "$cpu * 1000 / $N" | bc -l | xargs printf '%.2f') ms/msg), peak RSS ${rss} MB;" \
       "MariaDB CPU $(echo "$db1 - $db0" | bc -l | xargs printf '%.1f')s; not sent: $failed; load $(loadavg)"
  app_stop "$APP_PID"
}

wire() { # smtp-source straight into the sinks: one client per sink, 5 sessions each
  local t0 t1 i pids=()
  t0=$(date +%s.%N)
  for i in $(seq 1 $SINKS); do
    timeout 900 /usr/sbin/smtp-source -s 5 -m $(( N / SINKS )) -l 20480 -f news@sender.test -t "reader@d$i.bench.test" "127.0.1.$i:25" &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i"; done
  t1=$(date +%s.%N)
  echo "RESULT smtp-source: $(echo "$N / ($t1 - $t0)" | bc -l | xargs printf '%.0f') msg/s ($N x 20 KB, 10 clients x 5 sessions); load $(loadavg)"
}

# Postfix reference: a private instance; the messages are queued first with delivery deferred (smtp-source into
# its smtpd), then released; the rate is measured from release until the queue is empty.
postfix_reference() {
  POSTFIX_DIR=$(mktemp -d /tmp/carteiro-bench-postfix.XXXXXX)
  chmod 755 "$POSTFIX_DIR"; mkdir -p "$POSTFIX_DIR/etc" "$POSTFIX_DIR/spool" "$POSTFIX_DIR/data"
  chown postfix "$POSTFIX_DIR/data"
  port_free 127.0.0.1 "$POSTFIX_PORT" || { echo "127.0.0.1:$POSTFIX_PORT is taken" >&2; return 1; }
  local d
  for d in $(seq 1 $DOMAINS); do echo "d$d.bench.test smtp:[127.0.1.$(( (d - 1) % SINKS + 1 ))]:25"; done >"$POSTFIX_DIR/etc/transport"
  cat >"$POSTFIX_DIR/etc/main.cf" <<EOF
compatibility_level = 3.6
config_directory = $POSTFIX_DIR/etc
queue_directory = $POSTFIX_DIR/spool
data_directory = $POSTFIX_DIR/data
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = postfix.bench.test
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relay_domains = bench.test
smtpd_relay_restrictions = permit_mynetworks, reject
transport_maps = texthash:$POSTFIX_DIR/etc/transport
defer_transports = smtp
default_destination_concurrency_limit = 20
smtp_destination_concurrency_limit = 20
default_process_limit = 100
message_size_limit = 0
maillog_file = $POSTFIX_DIR/data/maillog
maillog_file_prefixes = /tmp/carteiro-bench-postfix
smtp_tls_security_level = none
EOF
  cat >"$POSTFIX_DIR/etc/master.cf" <<EOF
127.0.0.1:$POSTFIX_PORT inet n - n - - smtpd
pickup    unix n - n 60 1 pickup
cleanup   unix n - n - 0 cleanup
qmgr      unix n - n 300 1 qmgr
tlsmgr    unix - - n 1000? 1 tlsmgr
rewrite   unix - - n - - trivial-rewrite
bounce    unix - - n - 0 bounce
defer     unix - - n - 0 bounce
trace     unix - - n - 0 bounce
verify    unix - - n - 1 verify
flush     unix n - n 1000? 0 flush
proxymap  unix - - n - - proxymap
smtp      unix - - n - - smtp
relay     unix - - n - - smtp
showq     unix n - n - - showq
error     unix - - n - - error
retry     unix - - n - - error
discard   unix - - n - - discard
local     unix - n n - - local
anvil     unix - - n - 1 anvil
scache    unix - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
EOF
  timeout 60 script -qc "/usr/sbin/postfix -c $POSTFIX_DIR/etc start" /dev/null >"$WORK/postfix-start.log" 2>&1 || { cat "$WORK/postfix-start.log"; return 1; }
  await 30 "postfix smtpd on 127.0.0.1:$POSTFIX_PORT" bash -c "exec 3<>/dev/tcp/127.0.0.1/$POSTFIX_PORT"
  local i pids=() t0 t1 queued
  for i in $(seq 1 $DOMAINS); do
    timeout 900 /usr/sbin/smtp-source -s 2 -m $(( N / DOMAINS )) -l 20480 -f news@sender.test -t "reader@d$i.bench.test" "127.0.0.1:$POSTFIX_PORT" &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i"; done
  queued() { find "$POSTFIX_DIR/spool/incoming" "$POSTFIX_DIR/spool/active" "$POSTFIX_DIR/spool/deferred" "$POSTFIX_DIR/spool/maildrop" -type f 2>/dev/null | wc -l; }
  await 300 "postfix to queue $N messages" bash -c "[ \$(find $POSTFIX_DIR/spool/deferred -type f | wc -l) -ge $N ]" || true
  echo "postfix queued $(queued) messages"
  /usr/sbin/postconf -c "$POSTFIX_DIR/etc" -e defer_transports=
  t0=$(date +%s.%N)
  /usr/sbin/postfix -c "$POSTFIX_DIR/etc" reload >/dev/null 2>&1
  /usr/sbin/postqueue -c "$POSTFIX_DIR/etc" -f
  local deadline=$(( $(date +%s) + 1800 ))
  while [ "$(queued)" -gt 0 ] && [ "$(date +%s)" -lt $deadline ]; do sleep 0.5; done
  t1=$(date +%s.%N)
  local sent; sent=$(grep -c "status=sent" "$POSTFIX_DIR/data/maillog" || true)
  echo "RESULT postfix: $(echo "$sent / ($t1 - $t0)" | bc -l | xargs printf '%.0f') msg/s ($sent sent in $(echo "$t1 - $t0" | bc -l | xargs printf '%.1f')s after release; left $(queued)); load $(loadavg)"
  /usr/sbin/postfix -c "$POSTFIX_DIR/etc" stop >/dev/null 2>&1 || true
  rm -rf "$POSTFIX_DIR"; POSTFIX_DIR=
}

echo "== loading $N messages into the queue"
t0=$(date +%s); load_queue; echo "loaded in $(( $(date +%s) - t0 ))s"

key=$(openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -outform DER | base64 -w0)
pub=$(echo "$key" | base64 -d | openssl pkey -inform DER -pubout -outform DER | base64 -w0)
for run in $(seq 1 "$RUNS"); do
  [ -n "${ONLY_POSTFIX:-}" ] && { postfix_reference; continue; }
  echo "== run $run: smtp-source (wire limit)"; wire
  echo "== run $run: Carteiro, unsigned"
  sql "DELETE FROM dkim_key WHERE domain = 'sender.test'"; [ "$run" = 1 ] || requeue
  carteiro "unsigned-$run"
  echo "== run $run: Carteiro, RSA-2048 DKIM"
  sql "INSERT INTO dkim_key (domain, selector, algorithm, private_key, public_key) VALUES ('sender.test', 'bench', 'rsa-sha256', '$key', '$pub')"
  requeue
  carteiro "rsa-dkim-$run"
  if [ -z "${SKIP_POSTFIX:-}" ]; then echo "== run $run: Postfix"; postfix_reference || echo "RESULT postfix: failed (see above)"; fi
done
