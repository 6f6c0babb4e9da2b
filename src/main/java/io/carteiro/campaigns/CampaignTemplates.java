package io.carteiro.campaigns;

import io.quarkus.qute.Engine;
import io.quarkus.qute.HtmlEscaper;
import io.quarkus.qute.ResultMapper;
import io.quarkus.qute.Results;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateException;
import io.quarkus.qute.TemplateNode;
import io.quarkus.qute.Variant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Campaign bodies are written by list owners at run time, so they are parsed by a runtime Qute engine of their own
 * (not the build-time checked one of the pages): HTML-escaping in the HTML part, missing values rendered empty, and
 * every problem reported when the campaign is saved, with line and column, never at send time.
 */
@ApplicationScoped
class CampaignTemplates {

    static final String SAMPLE_UNSUBSCRIBE = "https://carteiro.invalid/u/sample-unsubscribe-link";
    private static final AtomicLong IDS = new AtomicLong();

    private final Engine engine = Engine.builder()
            .addDefaults()
            .addSectionHelper(new RenderBudget.Loops())
            .addResultMapper(new HtmlEscaper(List.of(Variant.TEXT_HTML)))
            .addResultMapper(new MissingAsEmpty())
            .addValueResolver(new TrackedHrefs())
            .strictRendering(false)
            .removeStandaloneLines(true)
            .build();

    /** The outcome of checking content: compiled templates ready to render, or the first error found. */
    sealed interface Checked permits Compiled, Refused {
    }

    /** Parsed templates of one campaign (thread-safe; cached per campaign by the renderer). */
    record Compiled(Template subject, Template html, Template text, RenderBudget.Limits limits) implements Checked {

        /**
         * Renders subject (line breaks and control characters removed), HTML, and text (derived from the HTML when
         * not written), each within its {@link RenderBudget}; then puts the message's tracking trailer (decoy link,
         * open image) at the end of the HTML body, after the text was derived, so the text part never shows the decoy.
         */
        Rendered render(MessageModel model) {
            Map<String, Object> data = model.asData();
            String part = "subject";
            try {
                String s = HeaderValues.singleLine(part(part, subject, data));
                part = "html";
                String h = part(part, html, data);
                part = "text";
                String t = text == null ? HtmlToText.convert(h) : part(part, text, data);
                String trailer = model.links() == null ? "" : model.links().trailer();
                return new RenderedBody(s, trailer.isEmpty() ? h : withTrailer(h, trailer), t);
            } catch (RenderBudget.Exceeded e) {
                return new TooLarge(part, e.getMessage());
            }
        }

        private String part(String part, Template template, Map<String, Object> data) {
            RenderBudget budget = new RenderBudget(limits);
            try {
                return budget.checked(part.equals("html") ? "HTML body" : part.equals("text") ? "text body" : part,
                        template.instance().data(data).setAttribute(RenderBudget.ATTRIBUTE, budget).render());
            } catch (RuntimeException e) {
                // Qute may hand the budget's stop back wrapped in its own exceptions.
                for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                    if (cause instanceof RenderBudget.Exceeded exceeded) {
                        throw exceeded;
                    }
                }
                throw e;
            }
        }

        private static String withTrailer(String html, String trailer) {
            int end = html.lastIndexOf("</body");
            if (end < 0) {
                end = html.lastIndexOf("</BODY");
            }
            if (end < 0) {
                return html + trailer;
            }
            return new StringBuilder(html.length() + trailer.length()).append(html, 0, end).append(trailer)
                    .append(html, end, html.length()).toString();
        }
    }

    record Refused(TemplateError error) implements Checked {
    }

    /** The outcome of rendering: the message body, or the part that needed more than its budget. */
    sealed interface Rendered permits RenderedBody, TooLarge {
    }

    /** A rendered message body. */
    record RenderedBody(String subject, String html, String text) implements Rendered {
    }

    /** {@code part} (subject, html or text) rendered past a limit of {@link RenderBudget}; {@code reason} says which. */
    record TooLarge(String part, String reason) implements Rendered {
    }

    private RenderBudget.Limits limits = RenderBudget.Limits.DEFAULT;

    @Inject
    void configure(CampaignsConfig config) {
        limits = new RenderBudget.Limits(config.maxRenderedChars(), config.maxLoopIterations());
    }

    /**
     * Parses every part, renders it once for a sample subscriber, and requires a visible unsubscribe link in the
     * HTML body and in a written text body.
     */
    Checked check(CampaignContent content) {
        if (content.subject() == null || content.subject().isBlank()) {
            return new Refused(TemplateError.of("subject", "subject is empty"));
        }
        Optional<String> subjectProblem = HeaderValues.problem(content.subject());
        if (subjectProblem.isPresent()) {
            return new Refused(TemplateError.of("subject", "subject " + subjectProblem.get()));
        }
        if (content.html() == null || content.html().isBlank()) {
            return new Refused(TemplateError.of("html", "the HTML body is empty"));
        }
        boolean hasText = content.text() != null && !content.text().isBlank();
        CampaignContent.Layout layout = content.layout();
        try {
            Template subject = parse("subject", content.subject(), Variant.TEXT_PLAIN);
            parse("html", content.html(), Variant.TEXT_HTML);
            if (hasText) {
                parse("text", content.text(), Variant.TEXT_PLAIN);
            }
            Template html = layout == null ? parse("html", content.html(), Variant.TEXT_HTML)
                    : parse("html with its layout",
                    nn(layout.headerHtml()) + content.html() + nn(layout.footerHtml()), Variant.TEXT_HTML);
            Template text = !hasText ? null : layout == null ? parse("text", content.text(), Variant.TEXT_PLAIN)
                    : parse("text with its layout",
                    nn(layout.headerText()) + content.text() + nn(layout.footerText()), Variant.TEXT_PLAIN);
            Compiled compiled = new Compiled(subject, html, text, limits);
            RenderedBody sample;
            try {
                Rendered rendered = compiled.render(sample());
                if (rendered instanceof TooLarge tooLarge) {
                    return new Refused(TemplateError.of(tooLarge.part(), "the test render for a sample subscriber "
                            + "stopped: " + tooLarge.reason()));
                }
                sample = (RenderedBody) rendered;
            } catch (TemplateException e) {
                return new Refused(error("html", e));
            } catch (RuntimeException e) {
                return new Refused(TemplateError.of("html", "cannot be rendered: " + e.getMessage()));
            }
            if (!sample.html().contains(SAMPLE_UNSUBSCRIBE)) {
                return new Refused(TemplateError.of("html",
                        "the HTML body has no unsubscribe link: add <a href=\"{unsubscribeUrl}\">Unsubscribe</a>"));
            }
            if (hasText && !sample.text().contains(SAMPLE_UNSUBSCRIBE)) {
                return new Refused(TemplateError.of("text",
                        "the text body has no unsubscribe link: add {unsubscribeUrl}"));
            }
            return compiled;
        } catch (PartException e) {
            return new Refused(e.error);
        }
    }

    /** Checks a layout alone: both HTML parts parse, and the text parts when given. */
    TemplateError checkLayout(CampaignContent.Layout layout) {
        try {
            parse("header", nn(layout.headerHtml()), Variant.TEXT_HTML);
            parse("footer", nn(layout.footerHtml()), Variant.TEXT_HTML);
            parse("text header", nn(layout.headerText()), Variant.TEXT_PLAIN);
            parse("text footer", nn(layout.footerText()), Variant.TEXT_PLAIN);
            return null;
        } catch (PartException e) {
            return e.error;
        }
    }

    static MessageModel sample() {
        return new MessageModel("sample@example.org", "Sample Subscriber", Map.of(), 0, "Sample list",
                "Sample campaign", SAMPLE_UNSUBSCRIBE, "https://carteiro.invalid/p/sample-preferences-link", null);
    }

    private Template parse(String part, String source, String contentType) {
        Template template;
        try {
            template = engine.parse(source, Variant.forContentType(contentType), "campaign-" + IDS.incrementAndGet());
        } catch (TemplateException e) {
            throw new PartException(error(part, e));
        }
        Optional<TemplateError> unknown = TemplateNames.firstUnknown(part, template);
        if (unknown.isPresent()) {
            throw new PartException(unknown.get());
        }
        return template;
    }

    private static TemplateError error(String part, TemplateException e) {
        TemplateNode.Origin origin = e.getOrigin();
        String message = e.getMessage() == null ? "template error" : e.getMessage();
        // Qute prefixes its messages with the origin; the part, line and column are reported separately.
        message = message.replaceFirst("^Parser error in template \\[[^]]*] (on )?line \\d+:\\s*", "")
                .replaceFirst("^Rendering error in template \\[[^]]*] (on )?line \\d+:\\s*", "");
        if (origin == null || origin.getLine() <= 0) {
            return TemplateError.of(part, message);
        }
        return new TemplateError(part, message, origin.getLine(), Math.max(1, origin.getLineCharacterStart()));
    }

    private static String nn(String s) {
        return s == null ? "" : s;
    }

    /** Carries a part's error out of the nested parse calls. */
    private static final class PartException extends RuntimeException {
        final transient TemplateError error;

        PartException(TemplateError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }

    /** {@code {carteiroLinks.l3}}, written by {@link TrackableLinks} where the template had link 3. */
    private static final class TrackedHrefs implements io.quarkus.qute.ValueResolver {
        @Override
        public boolean appliesTo(io.quarkus.qute.EvalContext context) {
            String name = context.getName();
            return context.getBase() instanceof MessageTracking.Links && name.length() > 1 && name.charAt(0) == 'l';
        }

        @Override
        public java.util.concurrent.CompletionStage<Object> resolve(io.quarkus.qute.EvalContext context) {
            int n;
            try {
                n = Integer.parseInt(context.getName().substring(1));
            } catch (NumberFormatException e) {
                return Results.notFound(context);
            }
            return io.quarkus.qute.CompletedStage.of(((MessageTracking.Links) context.getBase()).href(n));
        }
    }

    /** A value a subscriber does not have renders as nothing rather than "NOT_FOUND" or "null". */
    private static final class MissingAsEmpty implements ResultMapper {
        @Override
        public int getPriority() {
            return 100;
        }

        @Override
        public boolean appliesTo(TemplateNode.Origin origin, Object result) {
            return result == null || Results.isNotFound(result);
        }

        @Override
        public String map(Object result, io.quarkus.qute.Expression expression) {
            return "";
        }
    }
}
