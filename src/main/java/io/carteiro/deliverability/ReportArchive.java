package io.carteiro.deliverability;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Opens a report attachment: gzip (Google, Yahoo), zip (Microsoft, many others) or plain. The decompressed size is
 * counted as it is read, never taken from headers (a zip bomb lies in them), and reading stops at the size cap or
 * when the output outgrows the input by more than the ratio cap.
 */
final class ReportArchive {

    /** The report's bytes, or why they were refused. */
    sealed interface Opened permits Opened.Content, Opened.Refused {
        record Content(byte[] bytes) implements Opened {
        }

        record Refused(String reason) implements Opened {
        }
    }

    private ReportArchive() {
    }

    static Opened open(byte[] data, long maxSize, int maxRatio) {
        if (data.length == 0) {
            return new Opened.Refused("the attachment is empty");
        }
        // the ratio is measured against at least 1 KB, so a tiny but honest gzip of a small report passes
        long limit = Math.min(maxSize, Math.max(1024L, data.length) * maxRatio);
        try {
            if (data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b) {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
                    return bounded(in, limit, maxSize);
                }
            }
            if (data.length >= 4 && data[0] == 'P' && data[1] == 'K' && data[2] == 3 && data[3] == 4) {
                return unzip(data, limit, maxSize);
            }
            if (data.length > maxSize) {
                return new Opened.Refused("the report is larger than " + maxSize + " bytes");
            }
            return new Opened.Content(data);
        } catch (IOException | IllegalArgumentException e) {
            return new Opened.Refused("the archive is damaged (" + Texts.shorten(String.valueOf(e.getMessage()))
                    + ")");
        }
    }

    /** The one report file of a zip: its first entry named .xml or .json (reporters send exactly one). */
    private static Opened unzip(byte[] data, long limit, long maxSize) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(data))) {
            ZipEntry entry;
            int entries = 0;
            while ((entry = zip.getNextEntry()) != null) {
                if (++entries > 10) {
                    return new Opened.Refused("the zip holds more than 10 files");
                }
                String name = entry.getName().toLowerCase(Locale.ROOT);
                if (!entry.isDirectory() && (name.endsWith(".xml") || name.endsWith(".json"))) {
                    return bounded(zip, limit, maxSize);
                }
            }
            return new Opened.Refused("the zip holds no .xml or .json file");
        }
    }

    private static Opened bounded(InputStream in, long limit, long maxSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            total += n;
            if (total > limit) {
                return new Opened.Refused(total > maxSize || limit == maxSize
                        ? "the report is larger than " + maxSize + " bytes once decompressed"
                        : "the archive expands more than its size allows (a decompression bomb?)");
            }
            out.write(buffer, 0, n);
        }
        return new Opened.Content(out.toByteArray());
    }
}
