package io.carteiro.subscribers.imports;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An uploaded CSV file opened for streaming: charset decoding (a UTF-8 byte-order mark is dropped; bytes that are
 * not valid in the charset become U+FFFD so the row holding them can be named), the delimiter, a count of bytes
 * read for the progress bar, and a cap on record length so an unclosed quote cannot pull the whole file into memory.
 */
final class CsvFile implements AutoCloseable {

    /** Delimiters recognised when none is given, in order of preference on a tie. */
    static final String CANDIDATE_DELIMITERS = ",;\t|";
    static final char REPLACEMENT = '\uFFFD';

    private final CountingInputStream bytes;
    private final RecordGuard guard;
    private final CSVParser parser;

    private CsvFile(CountingInputStream bytes, RecordGuard guard, CSVParser parser) {
        this.bytes = bytes;
        this.guard = guard;
        this.parser = parser;
    }

    static CsvFile open(Path path, Charset charset, char delimiter, int maxRecordChars) throws IOException {
        CountingInputStream bytes = new CountingInputStream(Files.newInputStream(path));
        try {
            InputStream in = skipBom(new BufferedInputStream(bytes, 1 << 16), charset);
            Reader reader = new InputStreamReader(in, charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE));
            RecordGuard guard = new RecordGuard(reader, maxRecordChars);
            return new CsvFile(bytes, guard, format(delimiter).parse(guard));
        } catch (IOException | RuntimeException e) {
            bytes.close();
            throw e;
        }
    }

    static CSVFormat format(char delimiter) {
        return CSVFormat.DEFAULT.builder()
                .setDelimiter(delimiter)
                .setIgnoreEmptyLines(true)
                .setTrim(false)
                .get();
    }

    /** The first line of the file (decoded, BOM dropped), or empty when the file holds nothing but blanks. */
    static Optional<String> firstLine(Path path, Charset charset) throws IOException {
        try (InputStream in = skipBom(new BufferedInputStream(Files.newInputStream(path)), charset);
             Reader reader = new InputStreamReader(in, charset)) {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = reader.read()) >= 0 && line.length() < 100_000) {
                if (c == '\n' || c == '\r') {
                    if (!line.toString().isBlank()) {
                        break;
                    }
                    line.setLength(0);
                } else {
                    line.append((char) c);
                }
            }
            return line.toString().isBlank() ? Optional.empty() : Optional.of(line.toString());
        }
    }

    /** The candidate delimiter occurring most often outside quotes in the header line; comma when none does. */
    static char detectDelimiter(String headerLine) {
        int[] counts = new int[CANDIDATE_DELIMITERS.length()];
        boolean quoted = false;
        for (int i = 0; i < headerLine.length(); i++) {
            char c = headerLine.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted) {
                int k = CANDIDATE_DELIMITERS.indexOf(c);
                if (k >= 0) {
                    counts[k]++;
                }
            }
        }
        int best = 0;
        for (int k = 1; k < counts.length; k++) {
            if (counts[k] > counts[best]) {
                best = k;
            }
        }
        return CANDIDATE_DELIMITERS.charAt(best);
    }

    CSVParser parser() {
        return parser;
    }

    /** Bytes of the file consumed so far (read ahead by the buffers, so slightly ahead of the parser). */
    long bytesRead() {
        return bytes.count;
    }

    /** Marks the start of a record for the length cap. */
    void startRecord() {
        guard.charsInRecord = 0;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }

    private static InputStream skipBom(BufferedInputStream in, Charset charset) throws IOException {
        if (!StandardCharsets.UTF_8.equals(charset)) {
            return in;
        }
        in.mark(3);
        byte[] head = in.readNBytes(3);
        if (!(head.length == 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF)) {
            in.reset();
        }
        return in;
    }

    /** Thrown (inside the parser's IOException path) when one record grows past the cap. */
    static final class RecordTooLongException extends IOException {
        RecordTooLongException(int max) {
            super("a row is longer than " + max + " characters (probably a quote that is never closed)");
        }
    }

    private static final class RecordGuard extends FilterReader {
        private final int max;
        private long charsInRecord;

        RecordGuard(Reader in, int max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                count(1);
            }
            return c;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            charsInRecord += n;
            if (charsInRecord > max) {
                throw new RecordTooLongException(max);
            }
        }
    }

    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
