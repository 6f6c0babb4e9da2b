package io.carteiro.campaigns;

/**
 * The templates of a campaign as written: subject, HTML and optional text bodies, and the layout around them.
 *
 * @param text   the text body, or null/blank to derive it from the rendered HTML
 * @param layout the layout's header and footer, or null
 */
record CampaignContent(String subject, String html, String text, Layout layout) {

    /** A layout's four parts (text parts may be null). */
    record Layout(String headerHtml, String footerHtml, String headerText, String footerText) {
    }
}
