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
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;

/**
 * Reads bounces from an IMAP or POP3 mailbox with Angus Mail and hands them to the {@link BounceRecorder}. Each
 * message's key (IMAP UIDVALIDITY/UID, POP3 UIDL) is committed with its bounces before the message is moved or
 * deleted, so a crash between the two counts nothing twice: the next run finds the key and only removes it.
 */
@ApplicationScoped
class MailboxReader {

    private static final Logger LOG = Logger.getLogger(MailboxReader.class);

    /** What one poll did. */
    record PollResult(int read, int recorded, int ignored, int keptForReview, int alreadySeen, int unsubscribed) {
    }

    private final BounceRecorder recorder;

    MailboxReader(BounceRecorder recorder) {
        this.recorder = recorder;
    }

    PollResult poll(MailboxSettings settings) throws MessagingException, IOException {
        Properties props = new Properties();
        String p = settings.storeProtocol();
        props.setProperty("mail.store.protocol", p);
        props.setProperty("mail." + p + ".connectiontimeout", "15000");
        props.setProperty("mail." + p + ".timeout", "60000");
        Session session = Session.getInstance(props);
        int[] counts = new int[6];
        try (Store store = session.getStore(p)) {
            store.connect(settings.host(), settings.port(), settings.user(), settings.password());
            Folder folder = store.getFolder(settings.folder());
            folder.open(Folder.READ_WRITE);
            try {
                Folder processed = processedFolder(store, settings);
                Message[] messages = folder.getMessages(1, Math.min(folder.getMessageCount(), settings.batchSize()));
                for (Message message : messages) {
                    InboundOutcome outcome = recorder.receive(new InboundMail(RawMessage.of(raw(message)), null,
                            bounceAddress(message), InboundMail.Channel.MAILBOX, seenKey(settings, folder, message)));
                    counts[0]++;
                    counts[switch (outcome.result()) {
                        case RECORDED -> 1;
                        case IGNORED -> 2;
                        case KEPT_FOR_REVIEW -> 3;
                        case ALREADY_SEEN -> 4;
                        case UNSUBSCRIBED -> 5;
                    }]++;
                    if (processed != null) {
                        folder.copyMessages(new Message[]{message}, processed);
                    }
                    message.setFlag(Flags.Flag.DELETED, true);
                }
            } finally {
                folder.close(true);
            }
        }
        PollResult result = new PollResult(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]);
        if (result.read() > 0) {
            LOG.infof("mailbox %s@%s: %s", settings.user(), settings.host(), result);
        }
        return result;
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
