package io.carteiro.bounces;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
import org.eclipse.angus.mail.dsn.DeliveryStatus;
import org.eclipse.angus.mail.dsn.MultipartReport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one raw inbound message into a {@link ParsedMessage}: RFC 3464 DSNs and RFC 5965 feedback reports through
 * Angus Mail's DSN classes, automatic replies by their RFC 3834 headers, other bounces by the {@link BounceRules}
 * table. It never throws: whatever it cannot read becomes {@link ReportFormat#UNPARSED} with a reason.
 */
final class BounceParser {

    private static final int MAX_DEPTH = 4;
    private static final int MAX_TEXT = 64 * 1024;
    private static final int MAX_DIAGNOSTIC = 1000;

    private static final Pattern BOUNCE_SENDER = Pattern.compile(
            "^(mailer[-_]?daemon|mail[-_]?daemon|postmaster|mail delivery (subsystem|system)|bounces?)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern BOUNCE_SUBJECT = Pattern.compile(
            "(undeliver|delivery status notification|delivery (failure|failed|has failed|problem)|failure notice"
                    + "|returned mail|returned to sender|mail delivery (failed|failure|system)"
                    + "|could not be delivered|non[- ]?delivery|nondeliverable|message not delivered|delivery error)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern AUTO_REPLY_SUBJECT = Pattern.compile(
            "^\\s*(auto(matic|matische)?[ -]?(reply|response|antwort|answer)|out of (the )?office|abwesen"
                    + "|absence|on vacation|vacation reply|away from (the )?office|r[ée]ponse automatique"
                    + "|resposta autom[áa]tica|respuesta autom[áa]tica|risposta automatica)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern QUOTED_HEADERS = Pattern.compile(
            "(?im)^(return-path|received|message-id|from|to|subject|date|content-type):");
    private static final Pattern ANGLE_RECIPIENT_LINE = Pattern.compile(
            "(?m)^\\s*<([^<>\\s@]+@[^<>\\s]+)>:?");
    private static final Pattern ADDRESS = Pattern.compile(
            "<?([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+)>?");
    private static final Pattern MESSAGE_ID_LINE = Pattern.compile("(?im)^message-id:\\s*(<[^<>\\s]+>)");

    private final Session session;
    private final BounceRules rules;

    BounceParser(BounceRules rules) {
        this.rules = rules;
        Properties props = new Properties();
        props.setProperty("mail.mime.address.strict", "false");
        props.setProperty("mail.mime.parameters.strict", "false");
        props.setProperty("mail.mime.multipart.allowempty", "true");
        props.setProperty("mail.mime.multipart.ignoremissingendboundary", "true");
        props.setProperty("mail.mime.decodetext.strict", "false");
        this.session = Session.getInstance(props);
    }

    ParsedMessage parse(byte[] raw) {
        MimeMessage message;
        try {
            message = new MimeMessage(session, new ByteArrayInputStream(raw));
        } catch (MessagingException | RuntimeException e) {
            return ParsedMessage.unparsed(null, null, null, "not a readable MIME message: " + describe(e));
        }
        String messageId = header(message, "Message-ID");
        String from = fromAddress(message);
        String subject = subject(message);
        try {
            return classify(message, messageId, from, subject);
        } catch (MessagingException | IOException | RuntimeException | StackOverflowError e) {
            return ParsedMessage.unparsed(messageId, from, subject, "unreadable structure: " + describe(e));
        }
    }

    private ParsedMessage classify(MimeMessage message, String messageId, String from, String subject)
            throws MessagingException, IOException {
        Optional<Part> report = findReport(message, 0);
        if (report.isPresent()) {
            String reportType = Optional.ofNullable(contentType(report.get()).getParameter("report-type"))
                    .orElse("").toLowerCase(Locale.ROOT);
            MultipartReport parts = new MultipartReport(
                    new ByteArrayDataSource(report.get().getInputStream(), report.get().getContentType()));
            if (reportType.equals("feedback-report")) {
                return feedbackReport(parts, messageId, from, subject);
            }
            if (reportType.equals("delivery-status") || reportType.equals("global-delivery-status")
                    || reportType.isEmpty()) {
                ParsedMessage dsn = deliveryStatus(parts, messageId, from, subject);
                if (dsn != null) {
                    return dsn;
                }
            }
        }
        boolean bounceLike = fromBounceSender(message) || (subject != null && BOUNCE_SUBJECT.matcher(subject).find());
        if (!bounceLike && autoReply(message, subject)) {
            return new ParsedMessage(ReportFormat.AUTO_REPLY, messageId, from, subject,
                    List.of(new Classification(BounceKind.AUTO_REPLY, null, null, null, from, null)), null);
        }
        if (bounceLike) {
            String text = text(message, 0, new StringBuilder()).toString();
            Optional<ParsedMessage> plain = plainText(text, messageId, from, subject);
            if (plain.isPresent()) {
                return plain.get();
            }
            return ParsedMessage.unparsed(messageId, from, subject, "bounce-like message matched no rule");
        }
        return ParsedMessage.unparsed(messageId, from, subject, "neither a report, a bounce nor an automatic reply");
    }

    // --- RFC 3464 ---------------------------------------------------------------------------------------------

    private ParsedMessage deliveryStatus(MultipartReport parts, String messageId, String from, String subject)
            throws MessagingException, IOException {
        DeliveryStatus status = null;
        String originalId = null;
        String returnPath = null;
        StringBuilder humanText = new StringBuilder();
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart part = parts.getBodyPart(i);
            String type = baseType(part);
            if (type.equals("message/delivery-status") || type.equals("message/global-delivery-status")) {
                if (status == null) {
                    try (InputStream in = part.getInputStream()) {
                        status = new DeliveryStatus(in);
                    }
                }
            } else if (isReturnedMessage(type) && originalId == null) {
                InternetHeaders returned = returnedHeaders(part);
                originalId = firstMessageId(returned.getHeader("Message-ID", null));
                returnPath = addressField(returned.getHeader("Return-Path", null));
            } else if (type.startsWith("text/")) {
                humanText.append(readText(part));
            }
        }
        if (status == null) {
            return null;
        }
        if (status.getRecipientDSNCount() == 0) {
            return ParsedMessage.unparsed(messageId, from, subject, "delivery-status report names no recipient");
        }
        List<Classification> found = new ArrayList<>();
        for (int i = 0; i < status.getRecipientDSNCount(); i++) {
            Classification c = recipient(status.getRecipientDSN(i), humanText);
            if (c != null) {
                found.add(c.withOriginalMessageId(originalId));
            }
        }
        return new ParsedMessage(ReportFormat.DSN, messageId, from, subject, List.copyOf(found), null, returnPath);
    }

    private Classification recipient(InternetHeaders fields, CharSequence humanText) {
        String action = Optional.ofNullable(fields.getHeader("Action", null)).orElse("").trim()
                .toLowerCase(Locale.ROOT);
        if (action.startsWith("delivered") || action.startsWith("relayed") || action.startsWith("expanded")) {
            return null;
        }
        String recipient = addressField(fields.getHeader("Final-Recipient", null));
        if (recipient == null) {
            recipient = addressField(fields.getHeader("Original-Recipient", null));
        }
        String diagnostic = clip(unfold(fields.getHeader("Diagnostic-Code", null)));
        String diagnosticText = diagnostic == null ? null : diagnostic.replaceFirst("^[A-Za-z-]+;\\s*", "");
        String status = Optional.ofNullable(fields.getHeader("Status", null)).map(String::trim)
                .map(s -> s.split("\\s")[0]).orElse(null);
        if (!EnhancedStatus.isValid(status)) {
            status = null;
        }
        if (EnhancedStatus.unspecific(status)) {
            Optional<String> fromDiagnostic = EnhancedStatus.find(diagnosticText);
            if (fromDiagnostic.isPresent() && (status == null || fromDiagnostic.get().charAt(0) == status.charAt(0))) {
                status = fromDiagnostic.get();
            }
        }
        Integer code = EnhancedStatus.findReplyCode(diagnosticText).orElse(null);
        BounceKind kind;
        if (action.startsWith("delayed")) {
            kind = BounceKind.DELAYED;
        } else {
            kind = EnhancedStatus.kindOf(status);
            if (EnhancedStatus.unspecific(status)) {
                Optional<BounceRules.Rule> rule = rules.match(diagnosticText);
                if (rule.isEmpty() && status == null) {
                    rule = rules.match(clip(humanText.toString()));
                }
                if (rule.isPresent() && rule.get().kind() != BounceKind.COMPLAINT) {
                    kind = rule.get().kind();
                    status = rule.get().status();
                }
            }
        }
        return new Classification(kind, code, status, diagnosticText, recipient, null);
    }

    // --- RFC 5965 ---------------------------------------------------------------------------------------------

    private ParsedMessage feedbackReport(MultipartReport parts, String messageId, String from, String subject)
            throws MessagingException, IOException {
        InternetHeaders feedback = null;
        InternetHeaders original = null;
        String originalId = null;
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart part = parts.getBodyPart(i);
            String type = baseType(part);
            if (type.equals("message/feedback-report") && feedback == null) {
                try (InputStream in = part.getInputStream()) {
                    feedback = new InternetHeaders(in);
                }
            } else if (isReturnedMessage(type) && original == null) {
                try (InputStream in = part.getInputStream()) {
                    original = new InternetHeaders(in);
                }
                originalId = firstMessageId(original.getHeader("Message-ID", null));
            }
        }
        if (feedback == null) {
            return ParsedMessage.unparsed(messageId, from, subject, "feedback report without message/feedback-report");
        }
        String type = Optional.ofNullable(feedback.getHeader("Feedback-Type", null)).orElse("").trim()
                .toLowerCase(Locale.ROOT);
        if (type.equals("not-spam")) {
            return new ParsedMessage(ReportFormat.ARF, messageId, from, subject, List.of(), null);
        }
        String recipient = addressField(feedback.getHeader("Original-Rcpt-To", null));
        if (recipient == null && original != null) {
            recipient = addressField(original.getHeader("To", null));
        }
        String diagnostic = clip("feedback-type " + (type.isEmpty() ? "unspecified" : type)
                + Optional.ofNullable(feedback.getHeader("User-Agent", null)).map(ua -> " from " + ua.trim()).orElse(""));
        return new ParsedMessage(ReportFormat.ARF, messageId, from, subject,
                List.of(new Classification(BounceKind.COMPLAINT, null, null, diagnostic, recipient, originalId)), null,
                Optional.ofNullable(addressField(feedback.getHeader("Original-Mail-From", null)))
                        .orElse(original == null ? null : addressField(original.getHeader("Return-Path", null))));
    }

    // --- RFC 3834 and friends ---------------------------------------------------------------------------------

    private boolean autoReply(MimeMessage message, String subject) {
        String autoSubmitted = header(message, "Auto-Submitted");
        if (autoSubmitted != null && !autoSubmitted.trim().toLowerCase(Locale.ROOT).startsWith("no")) {
            return true;
        }
        if (header(message, "X-Autoreply") != null || header(message, "X-Autorespond") != null
                || header(message, "X-Autoresponse") != null) {
            return true;
        }
        String precedence = header(message, "Precedence");
        if (precedence != null && precedence.trim().toLowerCase(Locale.ROOT).matches("auto_reply|bulk|junk")) {
            return true;
        }
        return subject != null && AUTO_REPLY_SUBJECT.matcher(subject).find();
    }

    // --- plain-text bounces -----------------------------------------------------------------------------------

    private Optional<ParsedMessage> plainText(String text, String messageId, String from, String subject) {
        Optional<BounceRules.Rule> rule = rules.match(text);
        if (rule.isEmpty()) {
            return Optional.empty();
        }
        Matcher where = rule.get().pattern().matcher(text);
        String line = where.find() ? lineAround(text, where.start()) : null;
        String status = EnhancedStatus.find(line).filter(s -> EnhancedStatus.kindOf(s) == rule.get().kind())
                .orElse(rule.get().status());
        Integer code = EnhancedStatus.findReplyCode(line).orElse(null);
        Matcher idMatcher = MESSAGE_ID_LINE.matcher(text);
        String originalId = idMatcher.find() ? idMatcher.group(1) : null;
        Classification c = new Classification(rule.get().kind(), code, status, clip(line),
                plainRecipient(text, from), originalId);
        return Optional.of(new ParsedMessage(ReportFormat.PLAIN_TEXT, messageId, from, subject, List.of(c), null));
    }

    private static String plainRecipient(String text, String from) {
        Matcher quoted = QUOTED_HEADERS.matcher(text);
        String head = quoted.find() ? text.substring(0, quoted.start()) : text;
        Matcher angle = ANGLE_RECIPIENT_LINE.matcher(head);
        if (angle.find()) {
            return angle.group(1);
        }
        Matcher any = ADDRESS.matcher(head);
        while (any.find()) {
            String candidate = any.group(1);
            String local = candidate.substring(0, candidate.indexOf('@'));
            if (!candidate.equalsIgnoreCase(from) && !BOUNCE_SENDER.matcher(local).find()) {
                return candidate;
            }
        }
        return null;
    }

    private static String lineAround(String text, int index) {
        int start = text.lastIndexOf('\n', index) + 1;
        int end = text.indexOf('\n', index);
        return text.substring(start, end < 0 ? text.length() : end).strip();
    }

    // --- MIME helpers -----------------------------------------------------------------------------------------

    private Optional<Part> findReport(Part part, int depth) throws MessagingException, IOException {
        if (depth > MAX_DEPTH) {
            return Optional.empty();
        }
        String type = baseType(part);
        if (type.equals("multipart/report")) {
            return Optional.of(part);
        }
        if (type.startsWith("multipart/")) {
            MimeMultipart multipart = new MimeMultipart(
                    new ByteArrayDataSource(part.getInputStream(), part.getContentType()));
            for (int i = 0; i < multipart.getCount(); i++) {
                Optional<Part> found = findReport(multipart.getBodyPart(i), depth + 1);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private StringBuilder text(Part part, int depth, StringBuilder into) throws MessagingException, IOException {
        if (depth > MAX_DEPTH || into.length() >= MAX_TEXT) {
            return into;
        }
        String type = baseType(part);
        if (type.startsWith("multipart/")) {
            Multipart multipart = new MimeMultipart(
                    new ByteArrayDataSource(part.getInputStream(), part.getContentType()));
            for (int i = 0; i < multipart.getCount(); i++) {
                text(multipart.getBodyPart(i), depth + 1, into);
            }
        } else if (type.startsWith("text/") || isReturnedMessage(type) || type.isEmpty()) {
            into.append(readText(part)).append('\n');
            if (into.length() > MAX_TEXT) {
                into.setLength(MAX_TEXT);
            }
        }
        return into;
    }

    private static String readText(Part part) throws MessagingException, IOException {
        byte[] bytes;
        try (InputStream in = part.getInputStream()) {
            bytes = in.readNBytes(MAX_TEXT);
        }
        Charset charset = StandardCharsets.UTF_8;
        try {
            String name = contentType(part).getParameter("charset");
            if (name != null) {
                charset = Charset.forName(MimeUtility.javaCharset(name.trim()));
            }
        } catch (RuntimeException e) {
            charset = StandardCharsets.UTF_8;
        }
        return new String(bytes, charset);
    }

    private static boolean isReturnedMessage(String type) {
        return type.equals("message/rfc822") || type.equals("message/global") || type.equals("text/rfc822-headers")
                || type.equals("message/rfc822-headers") || type.equals("message/global-headers");
    }

    private static InternetHeaders returnedHeaders(Part part) throws MessagingException, IOException {
        try (InputStream in = part.getInputStream()) {
            return new InternetHeaders(in);
        }
    }

    private static String firstMessageId(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = Pattern.compile("<[^<>\\s]+>").matcher(value);
        return m.find() ? m.group() : null;
    }

    private static ContentType contentType(Part part) {
        try {
            String value = part.getContentType();
            return new ContentType(value == null ? "text/plain" : value);
        } catch (MessagingException | RuntimeException e) {
            return new ContentType("text", "plain", null);
        }
    }

    private static String baseType(Part part) {
        return contentType(part).getBaseType().toLowerCase(Locale.ROOT);
    }

    private static String header(MimeMessage message, String name) {
        try {
            return message.getHeader(name, null);
        } catch (MessagingException | RuntimeException e) {
            return null;
        }
    }

    private static String fromAddress(MimeMessage message) {
        String value = header(message, "From");
        if (value == null) {
            return null;
        }
        try {
            InternetAddress[] parsed = InternetAddress.parseHeader(value, false);
            return parsed.length == 0 ? null : parsed[0].getAddress();
        } catch (MessagingException | RuntimeException e) {
            return null;
        }
    }

    private static boolean fromBounceSender(MimeMessage message) {
        String value = header(message, "From");
        if (value == null) {
            return false;
        }
        try {
            for (InternetAddress address : InternetAddress.parseHeader(value, false)) {
                String personal = Optional.ofNullable(address.getPersonal()).orElse("");
                if (BOUNCE_SENDER.matcher(Optional.ofNullable(address.getAddress()).orElse("")).find()
                        || BOUNCE_SENDER.matcher(personal).find()) {
                    return true;
                }
            }
            return false;
        } catch (MessagingException | RuntimeException e) {
            return BOUNCE_SENDER.matcher(value.strip()).find();
        }
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (MessagingException | RuntimeException e) {
            return header(message, "Subject");
        }
    }

    /** The address in a DSN field such as {@code rfc822; user@example.org}. */
    private static String addressField(String value) {
        if (value == null) {
            return null;
        }
        String v = unfold(value).trim();
        int semicolon = v.indexOf(';');
        if (semicolon >= 0) {
            v = v.substring(semicolon + 1).trim();
        }
        Matcher m = ADDRESS.matcher(v);
        return m.find() ? m.group(1) : null;
    }

    private static String unfold(String value) {
        return value == null ? null : value.replaceAll("\\r?\\n[ \\t]+", " ").strip();
    }

    private static String clip(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        return v.length() > MAX_DIAGNOSTIC ? v.substring(0, MAX_DIAGNOSTIC) : v;
    }

    private static String describe(Throwable e) {
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return text.length() > 300 ? text.substring(0, 300) : text;
    }
}
