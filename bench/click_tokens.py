#!/usr/bin/env python3
"""Writes one tracked-link path per line (/r/<token>), signed the way Carteiro signs them.

An independent implementation of the format documented on io.carteiro.engagement.TrackingTokens:
<keyId>.<base64url payload>.<base64url first 16 bytes of HMAC-SHA256(key, "t:<keyId>.<payload>")>, payload =
0x20|kind (1: click), then LEB128 varints campaign id, list id, recipient key, sent-at (epoch s), link number,
then the recipient domain in ASCII.

usage: click_tokens.py KEY_ID SECRET CAMPAIGN_ID LIST_ID LINKS DOMAIN SENT_AT < subscriber_ids > paths
"""
import base64
import hashlib
import hmac
import sys

CLICK = 1


def varint(value):
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def main():
    key_id, secret, campaign, list_id, links, domain, sent_at = sys.argv[1:8]
    key = secret.encode("utf-8")
    out = sys.stdout
    for n, line in enumerate(sys.stdin):
        subscriber = int(line)
        link = 1 + n % int(links)
        payload = bytes([0x20 | CLICK]) + varint(int(campaign)) + varint(int(list_id)) + varint(subscriber) \
            + varint(int(sent_at)) + varint(link) + domain.encode("ascii")
        signed = key_id + "." + b64(payload)
        mac = hmac.new(key, ("t:" + signed).encode("ascii"), hashlib.sha256).digest()[:16]
        out.write("/r/" + signed + "." + b64(mac) + "\n")


if __name__ == "__main__":
    main()
