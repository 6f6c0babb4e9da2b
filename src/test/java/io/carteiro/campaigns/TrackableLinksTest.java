package io.carteiro.campaigns;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TrackableLinksTest {

    static TrackableLinks.Rewritten rewrite(String html, String text) {
        return TrackableLinks.rewrite(new CampaignContent("S", html, text, null), 500);
    }

    @Test
    void absoluteLinksShouldBecomeNumberedExpressionsAndTheSameUrlOneLink() {
        TrackableLinks.Rewritten r = rewrite("""
                <p><a href="https://shop.example/a?x=1&amp;y=2">A</a> <a class=b href='http://blog.example/'>B</a>
                <a href="https://shop.example/a?x=1&amp;y=2">A again</a></p>""", null);
        assertEquals(List.of("https://shop.example/a?x=1&y=2", "http://blog.example/"), r.urls());
        assertEquals("""
                <p><a href="{carteiroLinks.l1}">A</a> <a class=b href='{carteiroLinks.l2}'>B</a>
                <a href="{carteiroLinks.l1}">A again</a></p>""", r.content().html());
    }

    @Test
    void personalisedMailAnchorAndRelativeLinksShouldStayAsWritten() {
        String html = """
                <a href="{unsubscribeUrl}">Leave</a> <a href="https://shop.example/?u={subscriber.email}">Me</a>
                <a href="mailto:news@example.org">Write</a> <a href="#top">Top</a> <a href="/local">L</a>
                <img src="https://cdn.example/logo.png"> <a name="x">no href</a>""";
        TrackableLinks.Rewritten r = rewrite(html, null);
        assertEquals(List.of(), r.urls());
        assertEquals(html, r.content().html());
    }

    @Test
    void urlsInTheTextPartShouldBeTrackedWithoutTheirSentencePunctuation() {
        TrackableLinks.Rewritten r = rewrite("<a href=\"https://shop.example/a\">A</a>",
                "Read https://shop.example/a. Or (https://blog.example/p?id=3), {unsubscribeUrl}\n");
        assertEquals(List.of("https://shop.example/a", "https://blog.example/p?id=3"), r.urls());
        assertEquals("Read {carteiroLinks.l1}. Or ({carteiroLinks.l2}), {unsubscribeUrl}\n", r.content().text());
    }

    @Test
    void layoutLinksShouldBeNumberedWithTheBody() {
        TrackableLinks.Rewritten r = TrackableLinks.rewrite(new CampaignContent("S",
                "<a href=\"https://b.example/\">b</a>", null, new CampaignContent.Layout(
                "<a href=\"https://org.example/\">Org</a>", "<a href=\"{unsubscribeUrl}\">x</a>", null, null)),
                500);
        assertEquals(List.of("https://org.example/", "https://b.example/"), r.urls());
        assertEquals("<a href=\"{carteiroLinks.l1}\">Org</a>", r.content().layout().headerHtml());
    }

    @Test
    void linksBeyondTheLimitShouldStayAsWritten() {
        TrackableLinks.Rewritten r = TrackableLinks.rewrite(new CampaignContent("S",
                "<a href=\"https://a.example/\">a</a><a href=\"https://b.example/\">b</a>", null, null), 1);
        assertEquals(List.of("https://a.example/"), r.urls());
        assertEquals("<a href=\"{carteiroLinks.l1}\">a</a><a href=\"https://b.example/\">b</a>", r.content().html());
    }

    @Test
    void aRenderedMessageShouldCarryEachLinksHrefAndTheTrailerOnlyInTheHtmlPart() {
        TrackableLinks.Rewritten r = rewrite("<html><body><p>Hi <a href=\"https://shop.example/a?b=1&amp;c=2\">shop</a>"
                + "</p><a href=\"{unsubscribeUrl}\">Unsubscribe</a></body></html>", null);
        CampaignTemplates.Compiled compiled = (CampaignTemplates.Compiled) new CampaignTemplates().check(r.content());
        MessageTracking.Links links = new MessageTracking.Links() {
            @Override
            public String href(int n) {
                return "https://t.example/r/tok" + n + "?x=1&y=2";
            }

            @Override
            public String trailer() {
                return "<a href=\"https://t.example/r/decoy\"></a>";
            }
        };
        MessageModel model = new MessageModel("ana@example.org", "Ana", java.util.Map.of(), 1, "List", "C",
                "https://pub.example/u/tok", "https://pub.example/p/tok", links);
        CampaignTemplates.RenderedBody body = (CampaignTemplates.RenderedBody) compiled.render(model);
        assertEquals("<html><body><p>Hi <a href=\"https://t.example/r/tok1?x=1&amp;y=2\">shop</a></p>"
                + "<a href=\"https://pub.example/u/tok\">Unsubscribe</a><a href=\"https://t.example/r/decoy\"></a>"
                + "</body></html>", body.html());
        assertEquals("Hi shop (https://t.example/r/tok1?x=1&y=2)\n\nUnsubscribe (https://pub.example/u/tok)\n",
                body.text());
    }
}
