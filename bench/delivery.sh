#!/usr/bin/env bash
# Delivery engine benchmark (issue 13): Carteiro against Postfix, like with like, in one sitting.
#
# The loopback world: 10 Postfix smtp-sink on 127.0.1.1-10:25 counting what they receive (-c), dnsmasq serving MX
# records for d1..d50.bench.test (5 domains a sink) and for five tarpit domains t1..t5.bench.test (smtp-sink that
# wait 30 s before each reply, on 127.0.2.1-5:25), MariaDB with durable commits (innodb_flush_log_at_trx_commit=1,
# as Postfix fsyncs its queue files), N messages of about 20 KB on the wire for both MTAs.
#
# Every step is timed the same way: the messages are in the MTA's durable queue first, held; the clock starts when
# they are released and stops when the sinks have counted N of them (bench/lib/sink_count.py reads the sinks'
# counters every 5 ms). Steps of one run, all against the same sinks:
#   wire          smtp-source straight into the sinks (the ceiling; its clock starts when it starts)
#   unsigned      Carteiro, no DKIM key (the queue released with one UPDATE; the engine finds it within idle-poll)
#   signed        Carteiro with an RSA-2048 DKIM key (rsa-sha256, relaxed/relaxed): it signs inside the window
#   tarpits       Carteiro unsigned with 5 x TARPIT_MESSAGES more messages to the tarpit domains released at the
#                 same moment; the rate counts only the N messages to the others
#   postfix       a private Postfix instance (own config and queue under /tmp, transport_maps to the sinks, Postfix's
#                 default concurrency), queued through its smtpd with defer_transports=smtp, released by reload+flush
#   postfix-dkim  the same with Debian's OpenDKIM as milter (same RSA-2048 key, relaxed/relaxed). OpenDKIM signs as
#                 Postfix takes the messages in, before the release, so its signing is NOT in the window (this
#                 favours Postfix); the intake times with and without the milter are printed for that reason.
# At the end: the median of RUNS runs of each step, and the ratios the goals are about.
#
# Usage (as root): flock /tmp/carteiro-bench.lock bench/delivery.sh [N]
#   env: RUNS (3), STEPS (space-separated subset of the steps above), SESSIONS (Carteiro's carteiro.delivery.sessions,
#        default: the product's default), TARPIT_MESSAGES (200), APP_HEAP (1g), APP_OPTS (extra JVM options)
# Everything stays on loopback; everything started is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-100000}
RUNS=${RUNS:-3}
STEPS=${STEPS:-wire unsigned signed tarpits postfix postfix-dkim}
TARPIT_MESSAGES=${TARPIT_MESSAGES:-200}
DOMAINS=50
SINKS=10
TARPITS=5
DB_PORT=${DB_PORT:-3399}
DNS_PORT=${DNS_PORT:-5354}
POSTFIX_PORT=${POSTFIX_PORT:-2627}
DKIM_PORT=${DKIM_PORT:-8891}
WORK=$PWD/target/bench-delivery
source bench/lib/loopback.sh
need /usr/sbin/smtp-sink /usr/sbin/smtp-source /usr/sbin/dnsmasq /usr/sbin/postfix /usr/sbin/opendkim /usr/bin/openssl \
  /usr/bin/bc /usr/bin/python3
[ -f "$JAR" ] || ./mvnw -q -B package -DskipTests
rm -rf "$WORK" && mkdir -p "$WORK"
RESULTS=$WORK/results.tsv
echo "delivery benchmark: N=$N, RUNS=$RUNS, $DOMAINS domains, $SINKS sinks, $(nproc) cores, load $(loadavg)," \
     "$(date -u +%FT%TZ); steps: $STEPS"
echo "other processes using CPU at the start:"; ps -eo pcpu,comm --sort=-pcpu | head -6 | tail -5

start_sinks $SINKS
start_tarpits $TARPITS
start_calibration_sink
start_dns $DOMAINS $SINKS $DNS_PORT $TARPITS
start_db "$DB_PORT"
SINK_LOGS=()
for i in $(seq 1 $SINKS); do SINK_LOGS+=("$WORK/sink-$i.log"); done
at_sinks() { python3 bench/lib/sink_count.py now "${SINK_LOGS[@]}"; }
sinks_reach() { python3 bench/lib/sink_count.py until "$1" 1800 "${SINK_LOGS[@]}"; }

# The queue: N messages to the 50 domains, 5 x TARPIT_MESSAGES to the tarpits and one to the calibration sink, all
# held (due in 2100) until a step releases them. HTML + text sized to about 20 KB on the wire, as smtp-source sends.
load_queue() {
  sql "DELETE FROM delivery_attempt; DELETE FROM outbound_content; DELETE FROM outbound_message;"
  sql "INSERT INTO outbound_message (recipient, recipient_domain, sender, state, priority, next_attempt_at,
         expires_at, message_id, created_at)
       SELECT CONCAT('reader', seq, '@d', seq % $DOMAINS + 1, '.bench.test'), CONCAT('d', seq % $DOMAINS + 1, '.bench.test'),
              'news@sender.test', 'queued', 0, '2100-01-01', NOW(6) + INTERVAL 3 DAY,
              CONCAT('<bench', seq, '@sender.test>'), NOW(6)
       FROM seq_1_to_$N;
       INSERT INTO outbound_message (recipient, recipient_domain, sender, state, priority, next_attempt_at,
         expires_at, message_id, created_at)
       SELECT CONCAT('slow', seq, '@t', seq % $TARPITS + 1, '.bench.test'), CONCAT('t', seq % $TARPITS + 1, '.bench.test'),
              'news@sender.test', 'queued', 0, '2100-01-01', NOW(6) + INTERVAL 3 DAY,
              CONCAT('<slow', seq, '@sender.test>'), NOW(6)
       FROM seq_1_to_$(( TARPITS * TARPIT_MESSAGES ));
       INSERT INTO outbound_message (recipient, recipient_domain, sender, state, priority, next_attempt_at,
         expires_at, message_id, created_at)
       VALUES ('size@calibration.bench.test', 'calibration.bench.test', 'news@sender.test', 'queued', 0, '2100-01-01',
               NOW(6) + INTERVAL 3 DAY, '<calibration@sender.test>', NOW(6));
       INSERT INTO outbound_content (outbound_message_id, from_header, subject, html, text)
       SELECT id, 'Boletim <news@sender.test>', CONCAT('Novidades para ', recipient),
              CONCAT('<p>Olá ', recipient, '</p>', REPEAT('<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n', 175)),
              CONCAT('Olá ', recipient, '\n', REPEAT('Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n', 138))
       FROM outbound_message;"
}
hold_queue() {
  sql "UPDATE outbound_message SET state = 'queued', next_attempt_at = '2100-01-01', sent_at = NULL, attempts = 0,
         lease_owner = NULL, lease_until = NULL, last_code = NULL, last_reply = NULL; DELETE FROM delivery_attempt;"
}

record() { # $1 = run, $2 = step, $3 = msg/s, rest = note
  local run=$1 step=$2 rate=$3; shift 3
  printf '%s\t%s\t%s\t%s\n' "$run" "$step" "$rate" "$*" >>"$RESULTS"
  echo "RESULT run $run $step: $rate msg/s; $*"
}

carteiro() { # $1 = run, $2 = step (unsigned | signed | tarpits)
  local run=$1 step=$2 release="recipient_domain LIKE 'd%.bench.test' OR recipient_domain = 'calibration.bench.test'"
  local t0 t1 base cpu rss db0 db1 window
  if [ "$step" = signed ]; then
    sql "INSERT IGNORE INTO dkim_key (domain, selector, algorithm, private_key, public_key)
         VALUES ('sender.test', 'bench', 'rsa-sha256', '$DKIM_DER', '$DKIM_PUB')"
  else
    sql "DELETE FROM dkim_key WHERE domain = 'sender.test'"
  fi
  [ "$step" = tarpits ] && release="$release OR recipient_domain LIKE 't%.bench.test'"
  hold_queue
  app_start "$run-$step" true ${SESSIONS:+-Dcarteiro.delivery.sessions=$SESSIONS}
  base=$(at_sinks); db0=$(cpu_seconds "$DB_PID")
  t0=$(date +%s.%N)
  sql "UPDATE outbound_message SET next_attempt_at = NOW(6) WHERE $release"
  t1=$(sinks_reach $(( base + N )))
  window=$(echo "$t1 - $t0" | bc -l)
  cpu=$(cpu_seconds "$APP_PID"); rss=$(peak_rss_mb "$APP_PID"); db1=$(cpu_seconds "$DB_PID")
  record "$run" "$step" "$(echo "$N / $window" | bc -l | xargs printf '%.0f')" \
    "window $(printf '%.2f' "$window") s; app CPU ${cpu} s ($(echo "$cpu * 1000 / $N" | bc -l | xargs printf '%.2f') ms/msg)," \
    "peak RSS ${rss} MB; MariaDB CPU $(echo "$db1 - $db0" | bc -l | xargs printf '%.1f') s; load $(loadavg)"
  app_stop "$APP_PID"
}

wire() { # $1 = run: smtp-source straight into the sinks, one client per sink, 5 sessions each
  local run=$1 t0 t1 base i
  base=$(at_sinks)
  t0=$(date +%s.%N)
  for i in $(seq 1 $SINKS); do
    timeout 900 /usr/sbin/smtp-source -s 5 -m $(( N / SINKS )) -l 20480 -f news@sender.test -t "reader@d$i.bench.test" \
      "127.0.1.$i:25" &
  done
  t1=$(sinks_reach $(( base + N / SINKS * SINKS )))
  wait
  record "$run" wire "$(echo "$N / ($t1 - $t0)" | bc -l | xargs printf '%.0f')" "10 clients x 5 sessions; load $(loadavg)"
}

# A private Postfix instance routing each domain to its sink; $1 = extra main.cf lines.
postfix_setup() {
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
message_size_limit = 0
maillog_file = $POSTFIX_DIR/data/maillog
maillog_file_prefixes = /tmp/carteiro-bench-postfix
smtp_tls_security_level = none
$1
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
  timeout 60 script -qc "/usr/sbin/postfix -c $POSTFIX_DIR/etc start" /dev/null >"$WORK/postfix-start.log" 2>&1 \
    || { cat "$WORK/postfix-start.log"; return 1; }
  await 30 "postfix smtpd on 127.0.0.1:$POSTFIX_PORT" bash -c "exec 3<>/dev/tcp/127.0.0.1/$POSTFIX_PORT"
}

postfix_teardown() {
  /usr/sbin/postfix -c "$POSTFIX_DIR/etc" stop >/dev/null 2>&1 || true
  rm -rf "$POSTFIX_DIR"; POSTFIX_DIR=
}

# OpenDKIM as a milter on 127.0.0.1:DKIM_PORT, signing mail from sender.test with the benchmark's key.
opendkim_start() {
  port_free 127.0.0.1 "$DKIM_PORT" || { echo "127.0.0.1:$DKIM_PORT is taken" >&2; return 1; }
  cat >"$WORK/opendkim.conf" <<EOF
Syslog no
Mode s
Canonicalization relaxed/relaxed
SignatureAlgorithm rsa-sha256
Domain sender.test
Selector bench
KeyFile $WORK/dkim.pem
RequireSafeKeys false
Socket inet:$DKIM_PORT@127.0.0.1
InternalHosts 127.0.0.0/8
Background no
UserID opendkim
EOF
  /usr/sbin/opendkim -f -x "$WORK/opendkim.conf" >"$WORK/opendkim.log" 2>&1 &
  OPENDKIM_PID=$!
  BENCH_PIDS+=($OPENDKIM_PID)
  await 30 "opendkim on 127.0.0.1:$DKIM_PORT" bash -c "exec 3<>/dev/tcp/127.0.0.1/$DKIM_PORT"
}

postfix_step() { # $1 = run, $2 = postfix | postfix-dkim
  local run=$1 step=$2 extra="" i pids=() t0 t1 base q0 q1 intake signed=""
  if [ "$step" = postfix-dkim ]; then
    opendkim_start
    extra="smtpd_milters = inet:127.0.0.1:$DKIM_PORT
milter_default_action = tempfail"
  fi
  postfix_setup "$extra"
  queued() { find "$POSTFIX_DIR/spool/deferred" -type f 2>/dev/null | wc -l; }
  q0=$(date +%s.%N)
  for i in $(seq 1 $DOMAINS); do
    timeout 1800 /usr/sbin/smtp-source -s 2 -m $(( N / DOMAINS )) -l 20480 -f news@sender.test \
      -t "reader@d$i.bench.test" "127.0.0.1:$POSTFIX_PORT" &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i"; done
  await 600 "postfix to queue $N messages" bash -c "[ \$(find $POSTFIX_DIR/spool/deferred -type f | wc -l) -ge $(( N / DOMAINS * DOMAINS )) ]"
  q1=$(date +%s.%N); intake=$(echo "$q1 - $q0" | bc -l | xargs printf '%.1f')
  if [ "$step" = postfix-dkim ]; then
    signed=$(grep -rl "^DKIM-Signature:" "$POSTFIX_DIR/spool/deferred" | wc -l)
    signed="; $signed of $(queued) queued messages carry a DKIM-Signature"
  fi
  base=$(at_sinks)
  /usr/sbin/postconf -c "$POSTFIX_DIR/etc" -e defer_transports=
  t0=$(date +%s.%N)
  /usr/sbin/postfix -c "$POSTFIX_DIR/etc" reload >/dev/null 2>&1
  /usr/sbin/postqueue -c "$POSTFIX_DIR/etc" -f
  t1=$(sinks_reach $(( base + N / DOMAINS * DOMAINS )))
  record "$run" "$step" "$(echo "$N / ($t1 - $t0)" | bc -l | xargs printf '%.0f')" \
    "window $(echo "$t1 - $t0" | bc -l | xargs printf '%.2f') s; intake of $N through smtpd took ${intake} s$signed; load $(loadavg)"
  postfix_teardown
  if [ -n "${OPENDKIM_PID:-}" ]; then kill "$OPENDKIM_PID" 2>/dev/null || true; wait "$OPENDKIM_PID" 2>/dev/null || true; OPENDKIM_PID=; fi
}

echo "== loading $N messages into the queue"
t=$(date +%s); load_queue; echo "loaded in $(( $(date +%s) - t ))s"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/dkim.pem" 2>/dev/null
chown opendkim "$WORK/dkim.pem" 2>/dev/null || true
DKIM_DER=$(openssl pkcs8 -topk8 -nocrypt -in "$WORK/dkim.pem" -outform DER | base64 -w0)
DKIM_PUB=$(openssl pkey -in "$WORK/dkim.pem" -pubout -outform DER | base64 -w0)

for run in $(seq 1 "$RUNS"); do
  for step in $STEPS; do
    echo "== run $run: $step"
    case $step in
      wire) wire "$run" ;;
      unsigned|signed|tarpits) carteiro "$run" "$step" ;;
      postfix|postfix-dkim) postfix_step "$run" "$step" || record "$run" "$step" 0 "failed (see above)" ;;
      *) echo "unknown step $step" >&2; exit 2 ;;
    esac
  done
done

size=$(find "$WORK/calibration" -type f -printf '%s\n' 2>/dev/null | head -1)
echo "== Carteiro's message as received by a sink: ${size:-?} bytes (with the sink's own trace headers);" \
     "smtp-source's: $(( 20480 + 130 )) bytes plus the same trace headers"
python3 - "$RESULTS" <<'EOF'
import statistics, sys
rates = {}
for line in open(sys.argv[1]):
    run, step, rate, _ = line.rstrip("\n").split("\t", 3)
    rates.setdefault(step, {})[run] = float(rate)
median = {step: statistics.median(r.values()) for step, r in rates.items() if all(r.values())}
print("== medians of %d runs (msg/s)" % max(len(r) for r in rates.values()))
for step in ("wire", "unsigned", "signed", "tarpits", "postfix", "postfix-dkim"):
    if step in median:
        print("  %-13s %7.0f   (runs: %s)" % (step, median[step], ", ".join("%.0f" % v for v in rates[step].values())))
def ratio(a, b, label):
    if a in rates and b in rates:
        per_run = [rates[a][r] / rates[b][r] for r in rates[a] if r in rates[b] and rates[b][r]]
        if per_run:
            print("  %-40s %.2f  (median of per-run ratios; runs: %s)" % (label, statistics.median(per_run),
                  ", ".join("%.2f" % v for v in per_run)))
print("== ratios")
ratio("unsigned", "postfix", "Carteiro unsigned / Postfix")
ratio("signed", "postfix-dkim", "Carteiro RSA-2048 / Postfix+OpenDKIM")
ratio("tarpits", "unsigned", "with 5 tarpits / without (drop = 1 - this)")
EOF
