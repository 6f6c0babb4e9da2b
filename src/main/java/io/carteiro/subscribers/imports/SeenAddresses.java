package io.carteiro.subscribers.imports;

import java.nio.charset.StandardCharsets;

/**
 * The addresses met so far in one file, to name duplicates: a 64-bit hash of each address key and the row where it
 * first appeared, in two flat arrays (12 bytes a slot, about 24 bytes a row) rather than a set of strings, so a
 * million-row file needs about 25 MB. A false duplicate needs a 64-bit hash collision (about 1 in 10^7 for 10^6 rows).
 */
final class SeenAddresses {

    private long[] hashes = new long[1 << 16];
    private int[] rows = new int[1 << 16];
    private int size;

    /** Remembers the address at {@code row}; returns the row where it was first seen, or 0 if it is new. */
    long firstRowOf(String key, long row) {
        long hash = hash(key);
        if (hash == 0) {
            hash = 1;
        }
        int mask = hashes.length - 1;
        int slot = (int) (mix(hash) & mask);
        while (hashes[slot] != 0) {
            if (hashes[slot] == hash) {
                return rows[slot];
            }
            slot = (slot + 1) & mask;
        }
        hashes[slot] = hash;
        rows[slot] = (int) row;
        if (++size * 2 > hashes.length) {
            grow();
        }
        return 0;
    }

    private void grow() {
        long[] oldHashes = hashes;
        int[] oldRows = rows;
        hashes = new long[oldHashes.length * 2];
        rows = new int[oldRows.length * 2];
        int mask = hashes.length - 1;
        for (int i = 0; i < oldHashes.length; i++) {
            if (oldHashes[i] != 0) {
                int slot = (int) (mix(oldHashes[i]) & mask);
                while (hashes[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                hashes[slot] = oldHashes[i];
                rows[slot] = oldRows[i];
            }
        }
    }

    /** FNV-1a over the UTF-8 bytes: cheap, and 64 bits keep collisions negligible at file sizes we accept. */
    private static long hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001b3L;
        }
        return h;
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
