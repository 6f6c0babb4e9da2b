#!/bin/sh
# Times the campaign start (one INSERT ... SELECT into outbound_message) for N subscribers on a MariaDB holding the
# Carteiro schema. Usage: bench/campaign-queue.sh N [mariadb client options], e.g.
#   bench/campaign-queue.sh 1000000 -h 127.0.0.1 -P 33606 -u root carteiro_campaigns
# Use a scratch database: it adds N subscribers and a campaign.
set -eu
n="$1"; shift
{ echo "SET @n = $n;"; cat "$(dirname "$0")/campaign-queue.sql"; } | mariadb "$@"
