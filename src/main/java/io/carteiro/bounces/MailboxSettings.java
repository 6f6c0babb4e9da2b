package io.carteiro.bounces;

import java.util.Locale;
import java.util.Optional;

/**
 * Where to fetch bounces from when they land in an existing mailbox.
 *
 * @param protocol        imap or pop3
 * @param processedFolder IMAP folder processed messages are moved to; empty to delete them
 */
record MailboxSettings(String protocol, String host, int port, boolean tls, String user, String password,
                       String folder, Optional<String> processedFolder, int batchSize) {

    MailboxSettings {
        protocol = protocol.toLowerCase(Locale.ROOT);
        if (!protocol.equals("imap") && !protocol.equals("pop3")) {
            throw new IllegalArgumentException("carteiro.bounce.mailbox.protocol must be imap or pop3, was " + protocol);
        }
        if (protocol.equals("pop3") && processedFolder.isPresent()) {
            throw new IllegalArgumentException("POP3 has no folders: leave carteiro.bounce.mailbox.processed-folder unset");
        }
    }

    /** The Jakarta Mail store name: imap, imaps, pop3 or pop3s. */
    String storeProtocol() {
        return tls ? protocol + "s" : protocol;
    }

    static MailboxSettings from(BounceConfig.Mailbox config) {
        String protocol = config.protocol().toLowerCase(Locale.ROOT);
        int defaultPort = switch (protocol + (config.tls() ? "s" : "")) {
            case "imaps" -> 993;
            case "pop3" -> 110;
            case "pop3s" -> 995;
            default -> 143;
        };
        return new MailboxSettings(protocol, config.host(), config.port().orElse(defaultPort), config.tls(),
                config.user().orElse(""), config.password().orElse(""), config.folder(), config.processedFolder(),
                config.batchSize());
    }
}
