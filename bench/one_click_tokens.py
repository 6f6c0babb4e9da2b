#!/usr/bin/env python3
"""Writes one RFC 8058 one-click unsubscribe path per line (/u/<token>), signed the way Carteiro signs them.

An independent implementation of the token format documented on io.carteiro.unsubscribe.LinkSigner:
<keyId>.<base64url payload>.<base64url first 16 bytes of HMAC-SHA256(key, "<keyId>.<payload>")>, payload =
0x10|purpose, then LEB128 varints subscriber id, list id, campaign id, issued-at (epoch s), lifetime (s).

usage: one_click_tokens.py KEY_ID SECRET LIST_ID < subscriber_ids > paths
"""
import base64
import hashlib
import hmac
import sys
import time

UNSUBSCRIBE = 1


def varint(value):
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def token(key_id, secret, subscriber, list_id, campaign, issued, lifetime):
    payload = bytes([0x10 | UNSUBSCRIBE]) + varint(subscriber) + varint(list_id) + varint(campaign) \
        + varint(issued) + varint(lifetime)
    signed = key_id + "." + b64(payload)
    mac = hmac.new(secret.encode("utf-8"), signed.encode("ascii"), hashlib.sha256).digest()[:16]
    return signed + "." + b64(mac)


def main():
    key_id, secret, list_id = sys.argv[1], sys.argv[2], int(sys.argv[3])
    issued = int(time.time())
    for line in sys.stdin:
        line = line.strip()
        if line:
            print("/u/" + token(key_id, secret, int(line), list_id, 1, issued, 400 * 86400))


if __name__ == "__main__":
    main()
