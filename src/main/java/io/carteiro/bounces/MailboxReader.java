package io.carteiro.bounces;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.InternetAddress;
import org.eclipse.angus.mail.pop3.POP3Folder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;

/**
 * Reads bounces from an IMAP or POP3 mailbox with Angus Mail and hands them to the {@link BounceRecorder}. Each
 * message's key (IMAP UIDVALIDITY/UID, POP3 UIDL) is committed with its bounces before the message is moved or
 * deleted, so a crash or a server hanging up between the two counts nothing twice: the next poll finds the key and
 * only removes the message. The password never crosses the network in plain text unless the settings allow it.
 */
@ApplicationScoped
class MailboxReader {

    /** What one poll came to. */
    sealed interface PollOutcome permits Polled, Failed {
        /** One line for the log and the bounces page. */
        String summary();
    }

    /** The poll ran to its end. */
    record Polled(int read, int recorded, int alreadyRecorded, int ignored, int keptForReview, int alreadySeen,
                  int unsubscribed) implements PollOutcome {
        @Override
        public String summary() {
            return "read " + read + ": " + recorded + " with bounces recorded, " + alreadyRecorded
                    + " about bounces already recorded, " + ignored + " ignored, " + keptForReview
                    + " kept for review, " + alreadySeen + " processed before, " + unsubscribed + " unsubscribes";
        }
    }

    /** The poll stopped: what happened, and what became of the messages read before. */
    record Failed(String what) implements PollOutcome {
        @Override
        public String summary() {
            return what;
        }
    }

    private final BounceRecorder recorder;

    MailboxReader(BounceRecorder recorder) {
        this.recorder = recorder;
    }

    PollOutcome poll(MailboxSettings settings) {
        if (settings.refusesPlaintextLogin()) {
            return new Failed("refusing to log in to " + settings.where() + ": with security=none the password"
                    + " would cross the network in plain text; use security=starttls or tls, or set"
                    + " carteiro.bounce.mailbox.allow-plaintext-password=true for a server on this host");
        }
        Session session;
        try {
            session = Session.getInstance(properties(settings));
        } catch (IOException | GeneralSecurityException e) {
            return new Failed("cannot load the mailbox's trusted certificates (" + settings.trust().describe() + "): "
                    + e.getMessage());
        }
        Store store;
        try {
            store = session.getStore(settings.storeProtocol());
            store.connect(settings.host(), settings.port(), settings.user(), settings.password());
        } catch (MessagingException | RuntimeException e) {
            return new Failed("cannot log in to " + settings.where() + ": " + MailboxProblems.describe(e, settings));
        }
        try {
            return read(store, settings);
        } finally {
            try {
                store.close();
            } catch (MessagingException e) {
                // the connection is gone already; what was read is committed
            }
        }
    }

    private PollOutcome read(Store store, MailboxSettings settings) {
        Folder folder;
        Folder processed;
        try {
            folder = store.getFolder(settings.folder());
            folder.open(Folder.READ_WRITE);
            processed = processedFolder(store, settings);
        } catch (MessagingException | RuntimeException e) {
            return new Failed("cannot open " + settings.where() + ": " + MailboxProblems.describe(e, settings));
        }
        int[] counts = new int[7];
        int total = 0;
        try {
            total = Math.min(folder.getMessageCount(), settings.batchSize());
            for (Message message : total == 0 ? new Message[0] : folder.getMessages(1, total)) {
                InboundOutcome outcome = recorder.receive(new InboundMail(RawMessage.of(raw(message)), null,
                        bounceAddress(message), InboundMail.Channel.MAILBOX, seenKey(settings, folder, message)));
                counts[0]++;
                counts[switch (outcome.result()) {
                    case RECORDED -> 1;
                    case ALREADY_RECORDED -> 2;
                    case IGNORED -> 3;
                    case KEPT_FOR_REVIEW -> 4;
                    case ALREADY_SEEN -> 5;
                    case UNSUBSCRIBED -> 6;
                }]++;
                if (processed != null) {
                    folder.copyMessages(new Message[]{message}, processed);
                }
                message.setFlag(Flags.Flag.DELETED, true);
            }
        } catch (MessagingException | RuntimeException e) {
            closeQuietly(folder);
            return new Failed("stopped at message " + (counts[0] + 1) + " of " + total + " in " + settings.where()
                    + ": " + MailboxProblems.describe(e, settings) + "; the " + counts[0]
                    + " read before are recorded and are removed at the next poll without being counted again");
        }
        try {
            folder.close(true);
        } catch (MessagingException | RuntimeException e) {
            return new Failed("could not remove the " + counts[0] + " messages read from " + settings.where() + ": "
                    + MailboxProblems.describe(e, settings) + "; they are recorded, and the next poll removes them"
                    + " without counting them again");
        }
        return new Polled(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6]);
    }

    private static void closeQuietly(Folder folder) {
        try {
            if (folder.isOpen()) {
                folder.close(false);
            }
        } catch (MessagingException | RuntimeException e) {
            // the connection is gone; nothing was expunged, which the seen keys make harmless
        }
    }

    /** Angus Mail's settings for this mailbox: timeouts, STARTTLS required or implicit TLS, and whom to trust. */
    static Properties properties(MailboxSettings settings) throws IOException, GeneralSecurityException {
        Properties props = new Properties();
        String p = settings.storeProtocol();
        props.setProperty("mail.store.protocol", p);
        props.setProperty("mail." + p + ".connectiontimeout", "15000");
        props.setProperty("mail." + p + ".timeout", "60000");
        if (settings.security() == MailboxSecurity.STARTTLS) {
            props.setProperty("mail." + p + ".starttls.enable", "true");
            props.setProperty("mail." + p + ".starttls.required", "true");
        }
        if (settings.security() != MailboxSecurity.NONE) {
            props.put("mail." + p + ".ssl.socketFactory", settings.trust().socketFactory());
            props.setProperty("mail." + p + ".ssl.checkserveridentity", "true");
        }
        return props;
    }

    /**
     * The key that identifies a message in this mailbox across runs: IMAP UIDVALIDITY and UID, POP3 UIDL, or
     * failing those the Message-ID.
     */
    static String seenKey(MailboxSettings settings, Folder folder, Message message) throws MessagingException {
        String box = settings.protocol() + ":" + settings.user().toLowerCase(Locale.ROOT) + "@"
                + settings.host().toLowerCase(Locale.ROOT) + "/" + folder.getFullName() + ":";
        if (folder instanceof UIDFolder uids) {
            return box + uids.getUIDValidity() + ":" + uids.getUID(message);
        }
        if (folder instanceof POP3Folder pop3) {
            String uid = pop3.getUID(message);
            if (uid != null) {
                return box + "uidl:" + uid;
            }
        }
        String[] ids = message.getHeader("Message-ID");
        return box + "message-id:" + (ids == null || ids.length == 0 ? Arrays.hashCode(raw(message)) : ids[0].strip());
    }

    private static Folder processedFolder(Store store, MailboxSettings settings) throws MessagingException {
        if (settings.processedFolder().isEmpty()) {
            return null;
        }
        Folder processed = store.getFolder(settings.processedFolder().get());
        if (!processed.exists() && !processed.create(Folder.HOLDS_MESSAGES)) {
            throw new MessagingException("cannot create folder " + settings.processedFolder().get());
        }
        return processed;
    }

    private static byte[] raw(Message message) throws MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            message.writeTo(out);
        } catch (IOException e) {
            throw new MessagingException("cannot read message " + message.getMessageNumber(), e);
        }
        return out.toByteArray();
    }

    /** The VERP or unsubscribe address the message was delivered to, read from the delivery headers. */
    private static String bounceAddress(Message message) {
        for (String header : new String[]{"X-Original-To", "Delivered-To", "Envelope-To", "To"}) {
            try {
                String[] values = message.getHeader(header);
                if (values == null) {
                    continue;
                }
                for (String value : values) {
                    for (InternetAddress address : InternetAddress.parseHeader(value, false)) {
                        String a = address.getAddress();
                        String lower = a == null ? "" : a.toLowerCase(Locale.ROOT);
                        if (lower.startsWith("b-") || lower.startsWith("u-")) {
                            return a;
                        }
                    }
                }
            } catch (MessagingException | RuntimeException e) {
                // an unreadable header names no address; try the next one
            }
        }
        return null;
    }
}
