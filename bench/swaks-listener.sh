#!/usr/bin/env bash
# Talks to Carteiro's bounce listener with Debian's swaks and checks its answers:
#   1. a relay attempt (recipient outside the bounce domain) is refused with 550 5.7.1, postmaster of another
#      domain too;
#   2. postmaster@ and abuse@ of the bounce domain, and a VERP address whose token a broken MTA mangled, are taken
#      (RFC 5321 §4.5.1; what they say is matched by the report itself, or kept for review);
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

expect() { # expect DESCRIPTION PATTERN -- swaks args...   (PATTERN is matched against the reply to RCPT TO when
    local what=$1 pattern=$2; shift 3   # it starts with "rcpt:", else against the whole transcript)
    local out text
    out=$(swaks --server "$host" --port "$port" --helo swaks.test --timeout 15 "$@" </dev/null 2>&1 || true)
    text=$out
    if [[ $pattern == rcpt:* ]]; then
        pattern=${pattern#rcpt:}
        text=$(awk '/-> RCPT TO/ { getline; print }' <<<"$out")
    fi
    if grep -qE "$pattern" <<<"$text"; then
        echo "ok   - $what"
    else
        echo "FAIL - $what (wanted /$pattern/)"; echo "$out" | sed 's/^/       /'; failures=$((failures + 1))
    fi
}

expect "relay attempt is refused" '<\*\* +550 5\.7\.1' -- \
    --from spammer@evil.example --to victim@elsewhere.example --quit-after RCPT
expect "postmaster of another domain is relaying, refused" '<\*\* +550 5\.7\.1' -- \
    --from someone@isp.example --to postmaster@elsewhere.example --quit-after RCPT
expect "postmaster@ of the bounce domain is taken" 'rcpt:<- +250 ' -- \
    --from someone@isp.example --to "postmaster@$domain" --quit-after RCPT
expect "abuse@ of the bounce domain is taken" 'rcpt:<- +250 ' -- \
    --from someone@isp.example --to "abuse@$domain" --quit-after RCPT
expect "a mangled VERP token is taken (and matched by the report, or kept for review)" 'rcpt:<- +250 ' -- \
    --from '<>' --to "b-zz-forgedtoken@$domain" --quit-after RCPT
if [[ -n "$genuine" ]]; then
    expect "DSN to a genuine return path is accepted" '<- +250 .*' -- \
        --from '<>' --to "$genuine" --data "$dsn_file"
fi
exit $failures
