#!/usr/bin/env bash
# Talks to Carteiro's bounce listener with Debian's swaks and checks its answers:
#   1. a relay attempt (recipient outside the bounce domain) is refused with 550 5.7.1;
#   2. a forged VERP address on the bounce domain is refused with 550 5.7.1;
#   3. a DSN to a genuine VERP address (optional third argument) is accepted with 250.
# Usage: bench/swaks-listener.sh HOST:PORT BOUNCE_DOMAIN [GENUINE_RETURN_PATH [DSN_FILE]]
# Exit status 0 when every check holds; the swaks transcripts are printed.
set -euo pipefail

command -v swaks >/dev/null || { echo "swaks is not installed (apt-get install swaks)" >&2; exit 2; }
server=${1:?HOST:PORT of the listener}
domain=${2:?bounce domain}
genuine=${3:-}
dsn_file=${4:-$(dirname "$0")/../src/test/resources/bounces/postfix-user-unknown.eml}
host=${server%:*}
port=${server##*:}
failures=0

expect() { # expect DESCRIPTION PATTERN -- swaks args...
    local what=$1 pattern=$2; shift 3
    local out
    out=$(swaks --server "$host" --port "$port" --helo swaks.test --timeout 15 "$@" </dev/null 2>&1 || true)
    if grep -qE "$pattern" <<<"$out"; then
        echo "ok   - $what"
    else
        echo "FAIL - $what (wanted /$pattern/)"; echo "$out" | sed 's/^/       /'; failures=$((failures + 1))
    fi
}

expect "relay attempt is refused" '<\*\* +550 5\.7\.1' -- \
    --from spammer@evil.example --to victim@elsewhere.example --quit-after RCPT
expect "forged VERP token is refused" '<\*\* +550 5\.7\.1' -- \
    --from '<>' --to "b-zz-forgedtoken@$domain" --quit-after RCPT
if [[ -n "$genuine" ]]; then
    expect "DSN to a genuine return path is accepted" '<- +250 .*' -- \
        --from '<>' --to "$genuine" --data "$dsn_file"
fi
exit $failures
