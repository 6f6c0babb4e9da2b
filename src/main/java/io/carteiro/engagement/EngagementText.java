package io.carteiro.engagement;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of the engagement pages (the campaign report), in English; Portuguese is in
 * {@code messages/eng_pt.properties}. Templates use them as {@code {eng:key}}.
 */
@MessageBundle(value = "eng", locale = "en")
public interface EngagementText {

    @Message("Report: {name}")
    String reportTitle(String name);

    @Message("Back to the campaign")
    String backToCampaign();

    @Message("Download CSV")
    String downloadCsv();

    @Message("Delivered")
    String delivered();

    @Message("Waiting for a retry")
    String deferred();

    @Message("Bounced (hard / soft)")
    String bounced();

    @Message("Blocked by the receiver's policy")
    String blocked();

    @Message("Complaints")
    String complaints();

    @Message("Unsubscribed")
    String unsubscribed();

    @Message("Clicks by people")
    String humanClicks();

    @Message("Clicks by machines (scanners, previews)")
    String machineClicks();

    @Message("People who clicked")
    String uniqueClickers();

    @Message("Opens by people")
    String humanOpens();

    @Message("Opens by machines (privacy proxies, prefetch)")
    String machineOpens();

    @Message("People who opened")
    String uniqueOpeners();

    @Message("Click-to-open")
    String clickToOpen();

    @Message("First 48 hours (UTC): clicks by people and by machines per hour")
    String timeline();

    @Message("Links")
    String links();

    @Message("Link")
    String link();

    @Message("People")
    String people();

    @Message("Machines")
    String machines();

    @Message("Unique people")
    String uniquePeople();

    @Message("Recipient domains")
    String domains();

    @Message("Domain")
    String domain();

    @Message("Previous campaigns")
    String previous();

    @Message("Campaign")
    String campaign();

    @Message("No tracked links, or no clicks yet.")
    String noLinks();

    @Message("Nothing delivered yet.")
    String noDomains();

    @Message("No earlier campaigns.")
    String noPrevious();

    @Message("Machine clicks and opens are counted apart and never count as engagement.")
    String machineNote();
}
