#!/usr/bin/env bash
# What a DKIM signature costs with the JDK's RSA, Amazon Corretto Crypto Provider and Conscrypt (bench/CryptoProviders.java),
# on this machine, in one run. The providers come from the local Maven repository (fetched with the wrapper when missing).
# Usage: bench/crypto-providers.sh        env: MILLIS (time per measurement, default 5000)
set -euo pipefail
cd "$(dirname "$0")/.."
M2=${M2:-$HOME/.m2/repository}
ACCP=$M2/software/amazon/cryptools/AmazonCorrettoCryptoProvider/2.5.0/AmazonCorrettoCryptoProvider-2.5.0-linux-x86_64.jar
CONSCRYPT=$M2/org/conscrypt/conscrypt-openjdk-uber/2.5.2/conscrypt-openjdk-uber-2.5.2.jar
[ -f "$ACCP" ] || ./mvnw -q -B dependency:get -Dtransitive=false \
  -Dartifact=software.amazon.cryptools:AmazonCorrettoCryptoProvider:2.5.0:jar:linux-x86_64
[ -f "$CONSCRYPT" ] || ./mvnw -q -B dependency:get -Dtransitive=false -Dartifact=org.conscrypt:conscrypt-openjdk-uber:2.5.2
echo "crypto providers: $(java -version 2>&1 | head -1), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
java -Dmillis="${MILLIS:-5000}" -cp "$ACCP:$CONSCRYPT" bench/CryptoProviders.java
