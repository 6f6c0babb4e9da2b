package io.carteiro.deliverability;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of the deliverability desk's pages, in English; Portuguese is in {@code messages/dlv_pt.properties}.
 * Templates use them as {@code {dlv:key}}. The findings of each check come from the checker itself (English).
 */
@MessageBundle(value = "dlv", locale = "en")
public interface DeskText {

    @Message("Deliverability")
    String title();

    @Message("What Gmail, Outlook and Yahoo require of bulk senders, checked live in the DNS through the engine's "
            + "resolvers: SPF, DKIM, DMARC with aligned identifiers, forward and reverse DNS of the sending addresses, "
            + "the bounce domain's MX, MTA-STS and TLS-RPT.")
    String intro();

    @Message("Domain {domain}")
    String domainHeading(String domain);

    @Message("(bounce domain)")
    String bounceDomain();

    @Message("Check")
    String check();

    @Message("Verdict")
    String verdict();

    @Message("Found")
    String found();

    @Message("What to do")
    String fix();

    @Message("Checked")
    String checked();

    @Message("{pass} pass, {warn} warn, {fail} fail")
    String tally(long pass, long warn, long fail);

    @Message("Check again")
    String recheck();

    @Message("Check another domain")
    String other();

    @Message("Domain")
    String domain();

    @Message("Reputation brakes")
    String brakes();

    @Message("A running campaign pauses itself, with the reason on its page, when one of these is crossed.")
    String brakesIntro();

    @Message("Brakes on")
    String enabled();

    @Message("Look at the first … messages of a campaign")
    String firstMessages();

    @Message("and judge once this many are in")
    String minMessages();

    @Message("Pause when more than this % of them bounced hard")
    String hardBouncePercent();

    @Message("Pause when complaints exceed this % of delivered messages")
    String complaintPercent();

    @Message("once it delivered at least")
    String minDelivered();

    @Message("Pause when one provider refuses (421, 4.7.x, 5.7.x) more than this % of recent attempts")
    String providerRefusalPercent();

    @Message("once it had at least this many recent attempts")
    String providerMinAttempts();

    @Message("Save the brakes")
    String save();

    @Message("Brakes saved.")
    String saved();

    @Message("Pre-send checklist")
    String checklist();

    @Message("This is the first campaign from {domain}: check its domain before you send.")
    String firstFromDomain(String domain);

    @Message("The message")
    String messageHeading();

    @Message("pass")
    String pass();

    @Message("warn")
    String warn();

    @Message("fail")
    String fail();

    @Message("Reports")
    String reportsTitle();

    @Message("Receivers send DMARC aggregate reports to {dmarc} and TLS reports to {tls} when the domain's DMARC and "
            + "TLS-RPT records name these addresses (the domain check gives the records). Last 30 days.")
    String reportsIntro(String dmarc, String tls);

    @Message("Per reporting organisation")
    String byOrg();

    @Message("Per source address")
    String bySource();

    @Message("Organisation")
    String org();

    @Message("Source")
    String source();

    @Message("Reports")
    String reports();

    @Message("Messages")
    String messages();

    @Message("DMARC pass (aligned)")
    String alignedPass();

    @Message("Quarantined")
    String quarantined();

    @Message("Rejected")
    String rejected();

    @Message("No reports yet.")
    String noReports();

    @Message("Latest DMARC reports")
    String latest();

    @Message("Period")
    String period();

    @Message("Policy")
    String policy();

    @Message("Received by")
    String via();

    @Message("TLS reports (RFC 8460) about this installation")
    String tlsReports();

    @Message("Failures they report")
    String tlsFailures();

    @Message("Successful sessions")
    String successful();

    @Message("Failed sessions")
    String failed();

    @Message("Result")
    String result();

    @Message("Sessions")
    String sessions();

    @Message("Detail")
    String detail();

    @Message("Carteiro's own TLS failures when sending (MTA-STS)")
    String ownTls();

    @Message("No TLS failure when sending.")
    String noOwnTls();

    @Message("Refused reports")
    String refused();

    @Message("No report was refused.")
    String noRefused();

    @Message("Kind")
    String kind();

    @Message("From")
    String from();

    @Message("Size (bytes)")
    String size();

    @Message("Why")
    String reason();

    @Message("When")
    String when();

    @Message("Content score (rspamd)")
    String contentScore();

    @Message("rspamd gives this message {score} points (it rejects at {required}) and would take the action “{action}”. "
            + "The rules that fired, the heaviest first:")
    String contentScoreSummary(Double score, Double required, String action);

    @Message("Rule")
    String rule();

    @Message("Points")
    String points();

    @Message("No rspamd is configured: set carteiro.deliverability.rspamd-url to see this message's content score.")
    String contentScoreOff();
}
