package io.carteiro.delivery;

/**
 * Quoted-printable encoding (RFC 2045 §6.7) of a body part whose line breaks are CRLF: the same output as Angus
 * Mail's {@code QPEncoderStream} (the tests compare the two), written here because that stream makes several calls
 * per byte and took a tenth of the engine's CPU time per 20 KB message (docs/benchmarks.md, delivery engine).
 * Printable ASCII other than {@code =} is kept, a space is kept unless a line break follows it, everything else
 * becomes {@code =XX}; lines are broken softly with {@code =} CRLF to stay within 76 characters.
 */
final class QuotedPrintable {

    private static final int LINE = 75; // characters before the soft break's '='
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private QuotedPrintable() {
    }

    static void encode(byte[] in, ByteSink out) {
        Encoder encoder = new Encoder(out);
        for (int i = 0; i < in.length; i++) {
            int c = in[i] & 0xff;
            if (c == '\r' || c == '\n') {
                encoder.flushSpace(true);
                if (c == '\n' && i > 0 && in[i - 1] == '\r') {
                    continue; // CR already broke the line
                }
                encoder.lineBreak();
            } else {
                encoder.flushSpace(false);
                if (c == ' ') {
                    encoder.space = true;
                } else {
                    encoder.put(c, c < 0x20 || c >= 0x7f || c == '=');
                }
            }
        }
        encoder.flushSpace(true);
    }

    private static final class Encoder {
        private final ByteSink out;
        private int count;
        private boolean space;

        Encoder(ByteSink out) {
            this.out = out;
        }

        /** A space waiting to learn whether a line break follows (then it must be encoded). */
        void flushSpace(boolean beforeBreak) {
            if (space) {
                put(' ', beforeBreak);
                space = false;
            }
        }

        void lineBreak() {
            out.write('\r');
            out.write('\n');
            count = 0;
        }

        void put(int c, boolean encoded) {
            int width = encoded ? 3 : 1;
            if ((count += width) > LINE) {
                out.write('=');
                out.write('\r');
                out.write('\n');
                count = width;
            }
            if (encoded) {
                out.write('=');
                out.write(HEX[c >> 4]);
                out.write(HEX[c & 0xf]);
            } else {
                out.write(c);
            }
        }
    }
}
