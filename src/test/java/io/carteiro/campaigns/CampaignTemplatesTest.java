package io.carteiro.campaigns;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CampaignTemplatesTest {

    static final String FOOTER = "<p><a href=\"{unsubscribeUrl}\">Unsubscribe</a></p>";
    final CampaignTemplates templates = new CampaignTemplates();

    CampaignTemplates.Checked check(String subject, String html, String text) {
        return templates.check(new CampaignContent(subject, html, text, null));
    }

    static MessageModel model(String name, Map<String, Object> attributes) {
        return new MessageModel("ana@example.org", name, attributes, 7, "Weekly <news>", "C",
                "https://pub.example/u/tok", "https://pub.example/p/tok", null);
    }

    static CampaignTemplates.RenderedBody body(CampaignTemplates.Compiled compiled, MessageModel model) {
        return assertInstanceOf(CampaignTemplates.RenderedBody.class, compiled.render(model));
    }

    @Test
    void syntaxErrorShouldBeReportedWithItsLineAndColumn() {
        var checked = check("Hi", "<p>Hello</p>\n<p>{#if subscriber.name}x</p>\n" + FOOTER, null);
        TemplateError error = assertInstanceOf(CampaignTemplates.Refused.class, checked).error();
        assertEquals("html", error.part());
        assertTrue(error.line() != null && error.line() >= 2, error.toString());
        assertTrue(error.column() != null && error.column() >= 1, error.toString());
    }

    @Test
    void unterminatedExpressionShouldPointAtItsLine() {
        var checked = check("Hi", "<p>one</p>\n<p>two</p>\n<p>{subscriber.name</p>\n" + FOOTER, null);
        TemplateError error = assertInstanceOf(CampaignTemplates.Refused.class, checked).error();
        assertEquals(3, error.line(), error.toString());
    }

    @Test
    void bodyWithoutUnsubscribeLinkShouldBeRefused() {
        var checked = check("Hi", "<p>Hello {subscriber.name}</p>", null);
        TemplateError error = assertInstanceOf(CampaignTemplates.Refused.class, checked).error();
        assertTrue(error.message().contains("unsubscribe"), error.message());
    }

    @Test
    void writtenTextWithoutUnsubscribeLinkShouldBeRefused() {
        var checked = check("Hi", "<p>Hello</p>" + FOOTER, "Hello");
        assertEquals("text", assertInstanceOf(CampaignTemplates.Refused.class, checked).error().part());
    }

    @Test
    void subjectWithALineBreakShouldBeRefused() {
        var checked = check("Hi\r\nBcc: victim@example.org", "<p>x</p>" + FOOTER, null);
        assertEquals("subject", assertInstanceOf(CampaignTemplates.Refused.class, checked).error().part());
    }

    @Test
    void subscriberValuesShouldBeEscapedInHtmlButNotInText() {
        var compiled = assertInstanceOf(CampaignTemplates.Compiled.class,
                check("Hi {subscriber.name}", "<p>Hello {subscriber.name}</p>" + FOOTER,
                        "Hello {subscriber.name}\n{unsubscribeUrl}"));
        var body = body(compiled, model("<script>alert(1)</script>", Map.of()));
        assertTrue(body.html().contains("Hello &lt;script&gt;alert(1)&lt;/script&gt;"), body.html());
        assertFalse(body.html().contains("<script>"), body.html());
        assertTrue(body.text().startsWith("Hello <script>alert(1)</script>"), body.text());
    }

    @Test
    void renderedSubjectShouldNeverCarryALineBreakFromASubscriberValue() {
        var compiled = assertInstanceOf(CampaignTemplates.Compiled.class,
                check("Hi {subscriber.name}", "<p>x</p>" + FOOTER, null));
        var body = body(compiled, model("Ana\r\nBcc: victim@example.org", Map.of()));
        assertEquals("Hi Ana Bcc: victim@example.org", body.subject());
    }

    @Test
    void attributesWithDefaultsAndListNameShouldRender() {
        var compiled = assertInstanceOf(CampaignTemplates.Compiled.class, check("News of {list.name}",
                "<p>Hello {subscriber.attributes.city ?: 'friend'} {subscriber.attributes.missing}!</p>" + FOOTER,
                null));
        assertTrue(body(compiled, model("Ana", Map.of("city", "Porto"))).html().contains("Hello Porto !"));
        var body = body(compiled, model("Ana", Map.of()));
        assertTrue(body.html().contains("Hello friend !"), body.html());
        assertEquals("News of Weekly <news>", body.subject());
    }

    @Test
    void textShouldBeDerivedFromTheRenderedHtmlWhenNotWritten() {
        var compiled = assertInstanceOf(CampaignTemplates.Compiled.class,
                check("Hi", "<h1>Hello {subscriber.name}</h1>" + FOOTER, null));
        assertNull(compiled.text());
        String text = body(compiled, model("Ana & Bo", Map.of())).text();
        assertEquals("Hello Ana & Bo\n\nUnsubscribe (https://pub.example/u/tok)\n", text);
    }

    @Test
    void layoutShouldWrapTheBodyAndMayCarryTheUnsubscribeLink() {
        var layout = new CampaignContent.Layout("<header>{list.name}</header>", FOOTER, null, null);
        var checked = templates.check(new CampaignContent("Hi", "<p>Body</p>", null, layout));
        var body = body(assertInstanceOf(CampaignTemplates.Compiled.class, checked), model("A", Map.of()));
        assertTrue(body.html().startsWith("<header>Weekly &lt;news&gt;</header><p>Body</p>"), body.html());
    }

    @Test
    void nestedLoopsThatWouldRenderMillionsOfCharactersAreRefusedAtSaveTimeWithTheReason() {
        var checked = check("Hi", "{#for i in 4000}{#for j in 4000}x{/for}{/for}" + FOOTER, null);
        TemplateError error = assertInstanceOf(CampaignTemplates.Refused.class, checked).error();
        assertEquals("html", error.part());
        assertTrue(error.message().contains("the loops run more than 10000 times in one message"), error.message());
    }

    @Test
    void oneLongLoopIsRefusedByTheCharacterCap() {
        String line = "<p>" + "y".repeat(500) + "</p>";
        var checked = check("Hi", "{#for i in 5000}" + line + "{/for}" + FOOTER, null);
        TemplateError error = assertInstanceOf(CampaignTemplates.Refused.class, checked).error();
        assertTrue(error.message().contains("more than 1000000 characters"), error.message());
        assertInstanceOf(CampaignTemplates.Compiled.class, check("Hi", "{#for i in 100}" + line + "{/for}" + FOOTER,
                null), "an ordinary loop stays allowed");
    }

    @Test
    void aMessageThatGrowsPastTheCapFromSubscriberDataIsNotRendered() {
        var compiled = assertInstanceOf(CampaignTemplates.Compiled.class, check("Hi",
                "{#for a in subscriber.attributes.items.orEmpty}{#for b in subscriber.attributes.items.orEmpty}"
                        + "{a}{b}{/for}{/for}" + FOOTER, null));
        var tooLarge = assertInstanceOf(CampaignTemplates.TooLarge.class,
                compiled.render(model("Ana", Map.of("items", java.util.Collections.nCopies(200, "zz")))));
        assertEquals("html", tooLarge.part());
    }

    @Test
    void aMisspelledPropertyShouldBeRefusedNamingTheExpressionWithLineAndColumn() {
        var checked = check("Hi", "<p>Hello</p>\n<p>Dear {subscriber.nmae},</p>\n" + FOOTER, null);
        TemplateError error = assertInstanceOf(CampaignTemplates.Refused.class, checked).error();
        assertTrue(error.unknownName(), error.toString());
        assertEquals("html", error.part());
        assertEquals("subscriber.nmae", error.expression());
        assertEquals(2, error.line());
        assertEquals(9, error.column(), error.toString());
        assertTrue(error.message().contains("subscriber.name"), error.message());
    }

    @Test
    void unknownRootsShouldBeRefusedInEveryPartAndInsideSectionsAndDefaults() {
        assertUnknown(check("Hi {nmae}", "<p>x</p>" + FOOTER, null), "subject", "nmae");
        assertUnknown(check("Hi", "<p>{#if subscriber.emial}x{/if}</p>" + FOOTER, null), "html", "subscriber.emial");
        assertUnknown(check("Hi", "<p>{subscriber.name ?: campaing.name}</p>" + FOOTER, null), "html",
                "campaing.name");
        assertUnknown(check("Hi", "<p>x</p>" + FOOTER, "{list.nome}\n{unsubscribeUrl}"), "text", "list.nome");
    }

    @Test
    void theModelsNamesLoopAliasesLetNamesAndAnyAttributeShouldPass() {
        var checked = check("News of {list.name} for {subscriber.email}",
                "<p>{subscriber.name ?: 'friend'} {subscriber.attributes.whatever} {campaign.name} {list.id}</p>"
                        + "{#for t in subscriber.attributes.tags.orEmpty}{t}{t_count}{/for}"
                        + "{#let greeting='Hi'}{greeting}{/let}<a href=\"{preferencesUrl}\">p</a>" + FOOTER, null);
        assertInstanceOf(CampaignTemplates.Compiled.class, checked);
    }

    private static void assertUnknown(CampaignTemplates.Checked checked, String part, String expression) {
        TemplateError error = assertInstanceOf(CampaignTemplates.Refused.class, checked).error();
        assertEquals(part, error.part(), error.toString());
        assertEquals(expression, error.expression(), error.toString());
        assertTrue(error.line() != null && error.column() != null, error.toString());
    }
}
