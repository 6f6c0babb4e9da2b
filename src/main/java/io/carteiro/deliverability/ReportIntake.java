package io.carteiro.deliverability;

import io.carteiro.bounces.ReportRecipient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.ParseException;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * Takes the DMARC aggregate and TLS-RPT reports the bounce listener and the bounce mailbox receive: finds the report
 * attachment of the message, opens it within the size and ratio caps, parses it with the hardened parsers and stores
 * it once; a report that cannot be read is recorded as refused (what arrived and why, never its content). Runs in the
 * caller's transaction (the recorder's), so a stored report and the message's seen-mark commit together.
 */
@ApplicationScoped
public class ReportIntake implements ReportRecipient {

    private static final Logger LOG = Logger.getLogger(ReportIntake.class);
    private static final Session MAIL = Session.getInstance(new Properties());

    /** What became of one message. */
    sealed interface Intake permits Intake.Stored, Intake.Duplicate, Intake.Refused {
        record Stored(Kind kind, long id) implements Intake {
        }

        record Duplicate(Kind kind) implements Intake {
        }

        record Refused(Kind kind, String reason) implements Intake {
        }
    }

    private final DeliverabilityConfig config;
    private final ReportStore store;
    private final Clock clock;

    ReportIntake(DeliverabilityConfig config, ReportStore store, Clock clock) {
        this.config = config;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Optional<Kind> addressedTo(String recipient) {
        if (recipient == null || recipient.lastIndexOf('@') <= 0) {
            return Optional.empty();
        }
        String local = recipient.substring(0, recipient.lastIndexOf('@')).toLowerCase(Locale.ROOT);
        if (local.equals(config.dmarcLocalPart().toLowerCase(Locale.ROOT))) {
            return Optional.of(Kind.DMARC);
        }
        if (local.equals(config.tlsReportLocalPart().toLowerCase(Locale.ROOT))) {
            return Optional.of(Kind.TLSRPT);
        }
        return Optional.empty();
    }

    @Override
    public Optional<Kind> recognise(byte[] raw) {
        try {
            MimeMessage m = new MimeMessage(MAIL, new ByteArrayInputStream(raw));
            String type = m.getContentType() == null ? "" : m.getContentType().toLowerCase(Locale.ROOT);
            if (type.startsWith("multipart/report") && type.contains("tlsrpt")) {
                return Optional.of(Kind.TLSRPT);
            }
            String subject = m.getSubject() == null ? "" : m.getSubject().strip().toLowerCase(Locale.ROOT);
            if (subject.startsWith("report domain:")) {
                return Optional.of(Kind.DMARC);
            }
            if (subject.startsWith("report domain ") && subject.contains("submitter")) {
                return Optional.of(Kind.DMARC);
            }
        } catch (MessagingException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    @Override
    public void receive(Kind kind, byte[] raw, String mailFrom, String channel) {
        Intake outcome = take(kind, raw, mailFrom, channel);
        if (outcome instanceof Intake.Refused r) {
            LOG.infof("%s report from <%s> refused: %s", kind, mailFrom, r.reason());
        }
    }

    /** Stores the report the message carries, or records why not. */
    Intake take(Kind kind, byte[] raw, String mailFrom, String channel) {
        Instant now = clock.instant();
        Optional<byte[]> attachment;
        try {
            attachment = attachment(kind, raw);
        } catch (MessagingException | IOException | RuntimeException e) {
            return refuse(kind, channel, mailFrom, raw.length, "the message is not readable MIME", now);
        }
        if (attachment.isEmpty()) {
            return refuse(kind, channel, mailFrom, raw.length, "the message has no report attachment", now);
        }
        ReportArchive.Opened opened = ReportArchive.open(attachment.get(), config.reports().maxSize(),
                config.reports().maxRatio());
        if (opened instanceof ReportArchive.Opened.Refused r) {
            return refuse(kind, channel, mailFrom, raw.length, r.reason(), now);
        }
        byte[] content = ((ReportArchive.Opened.Content) opened).bytes();
        if (kind == Kind.DMARC) {
            DmarcReportParser.Parsed parsed = DmarcReportParser.parse(content, config.reports().maxRecords());
            if (parsed instanceof DmarcReportParser.Parsed.Refused r) {
                return refuse(kind, channel, mailFrom, raw.length, r.reason(), now);
            }
            OptionalLong id = store.saveDmarc(((DmarcReportParser.Parsed.Report) parsed).report(), channel, now);
            return id.isPresent() ? new Intake.Stored(kind, id.getAsLong()) : new Intake.Duplicate(kind);
        }
        TlsReportParser.Parsed parsed = TlsReportParser.parse(content, config.reports().maxRecords());
        if (parsed instanceof TlsReportParser.Parsed.Refused r) {
            return refuse(kind, channel, mailFrom, raw.length, r.reason(), now);
        }
        OptionalLong id = store.saveTls(((TlsReportParser.Parsed.Report) parsed).report(), channel, now);
        return id.isPresent() ? new Intake.Stored(kind, id.getAsLong()) : new Intake.Duplicate(kind);
    }

    private Intake refuse(Kind kind, String channel, String mailFrom, int size, String reason, Instant now) {
        store.refuse(kind == Kind.DMARC ? "dmarc" : "tlsrpt", channel, mailFrom, size, reason, now);
        return new Intake.Refused(kind, reason);
    }

    /** The first part that looks like the report: by content type, else by file name. */
    private Optional<byte[]> attachment(Kind kind, byte[] raw) throws MessagingException, IOException {
        MimeMessage m = new MimeMessage(MAIL, new ByteArrayInputStream(raw));
        List<Part> parts = new ArrayList<>();
        flatten(m, parts, 0);
        for (Part p : parts) {
            if (isReport(kind, p)) {
                try (InputStream in = p.getInputStream()) {
                    // the listener already capped the message size; the part is at most that
                    return Optional.of(in.readAllBytes());
                }
            }
        }
        return Optional.empty();
    }

    private static void flatten(Part part, List<Part> out, int depth) throws MessagingException, IOException {
        if (depth > 5) {
            return;
        }
        if (part.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) part.getContent();
            for (int i = 0; i < mp.getCount() && i < 50; i++) {
                BodyPart child = mp.getBodyPart(i);
                flatten(child, out, depth + 1);
            }
        } else {
            out.add(part);
        }
    }

    private static boolean isReport(Kind kind, Part p) throws MessagingException {
        String base;
        try {
            base = new ContentType(p.getContentType() == null ? "text/plain" : p.getContentType()).getBaseType()
                    .toLowerCase(Locale.ROOT);
        } catch (ParseException e) {
            base = "application/octet-stream";
        }
        String name = p.getFileName() == null ? "" : p.getFileName().toLowerCase(Locale.ROOT);
        if (kind == Kind.TLSRPT) {
            return base.equals("application/tlsrpt+gzip") || base.equals("application/tlsrpt+json")
                    || name.endsWith(".json.gz") || name.endsWith(".json");
        }
        return base.equals("application/gzip") || base.equals("application/x-gzip") || base.equals("application/zip")
                || base.equals("application/x-zip-compressed") || base.equals("text/xml")
                || base.equals("application/xml") || name.endsWith(".xml.gz") || name.endsWith(".zip")
                || name.endsWith(".xml");
    }
}
