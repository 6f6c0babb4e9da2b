package io.carteiro.unsubscribe;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of the subscriber pages and the confirmation mail, in English; Portuguese is in
 * {@code messages/pub_pt.properties}. Templates use them as {@code {pub:key}}.
 */
@MessageBundle(value = "pub", locale = "en")
public interface PublicText {

    @Message("Subscribe to {list}")
    String subscribeTitle(String list);

    @Message("From: {sender}")
    String sentBy(String sender);

    @Message("E-mail address")
    String email();

    @Message("Name (optional)")
    String name();

    @Message("Leave this field empty")
    String honeypot();

    @Message("Click and open tracking")
    String trackingTitle();

    @Message("Let senders count which links I click and whether I open their messages")
    String trackingAllowed();

    @Message("Unticked, your messages carry plain links and no tracking image, on every list.")
    String trackingExplain();

    @Message("Save")
    String saveTracking();

    @Message("I agree to receive e-mails from {list}.")
    String defaultConsent(String list);

    @Message("Subscribe")
    String subscribeButton();

    @Message("Enter a valid e-mail address, such as name@example.org.")
    String emailInvalid();

    @Message("Tick the box to agree; we cannot subscribe you without your consent.")
    String consentMissing();

    @Message("The name is too long (at most 200 characters).")
    String nameTooLong();

    @Message("The name may not hold line breaks, tabs or invisible control characters.")
    String nameInvalid();

    @Message("Please correct the marked fields.")
    String fixErrors();

    @Message("Check your inbox")
    String checkInboxTitle();

    @Message("If the address can receive mail, a message with a confirmation link is on its way. Open it and confirm to start receiving {list}. The link is valid for 7 days.")
    String checkInbox(String list);

    @Message("You are subscribed")
    String subscribedTitle();

    @Message("Thank you. You will receive {list}.")
    String subscribed(String list);

    @Message("Too many attempts")
    String tooManyTitle();

    @Message("Too many sign-ups came from here in a short time. Please try again in an hour.")
    String tooMany();

    @Message("Form not found")
    String noFormTitle();

    @Message("This list does not exist or has no public sign-up form.")
    String noForm();

    @Message("Confirm your subscription")
    String confirmTitle();

    @Message("Confirm that {email} wants to receive {list}.")
    String confirmQuestion(String email, String list);

    @Message("Yes, subscribe me")
    String confirmButton();

    @Message("Subscription confirmed")
    String confirmedTitle();

    @Message("Thank you: {list} will now reach you.")
    String confirmed(String list);

    @Message("This subscription was already confirmed.")
    String alreadyConfirmed();

    @Message("Unsubscribe")
    String unsubscribeTitle();

    @Message("Stop receiving {list} at {email}?")
    String unsubscribeQuestion(String list, String email);

    @Message("Unsubscribe")
    String unsubscribeButton();

    @Message("You are unsubscribed")
    String unsubscribedTitle();

    @Message("{email} will receive no more messages from {list}.")
    String unsubscribed(String email, String list);

    @Message("Manage all your subscriptions")
    String managePreferences();

    @Message("This link is not valid")
    String badLinkTitle();

    @Message("The link is incomplete or was changed. Copy the whole link from the message, or use the link in a newer message.")
    String badLink();

    @Message("This link has expired")
    String expiredTitle();

    @Message("The link is too old. Use the link in a newer message, or sign up again.")
    String expired();

    @Message("Nothing found")
    String unknownTitle();

    @Message("We have no subscription for this link any more. Nothing was changed.")
    String unknown();

    @Message("Your subscriptions")
    String preferencesTitle();

    @Message("Settings for {email}")
    String preferencesFor(String email);

    @Message("Lists")
    String lists();

    @Message("Save subscriptions")
    String saveLists();

    @Message("Your name")
    String yourName();

    @Message("Save name")
    String saveName();

    @Message("Unsubscribe from everything")
    String unsubscribeAll();

    @Message("Your data")
    String yourData();

    @Message("Download my data (JSON)")
    String download();

    @Message("We send a download link to your address, so that only you can open it.")
    String downloadExplain();

    @Message("A download link is on its way to {email}. It works for {minutes} minutes.")
    String downloadMailed(String email, long minutes);

    @Message("Your data from us")
    String downloadMailSubject();

    @Message("You asked to download the data we hold about you. This link gives it to you as a JSON file; it works for {minutes} minutes:")
    String downloadMailIntro(long minutes);

    @Message("A link to confirm the erasure is on its way to {email}. Nothing is erased until you open it; it works for {minutes} minutes.")
    String eraseMailed(String email, long minutes);

    @Message("Confirm the erasure of your data")
    String eraseMailSubject();

    @Message("You asked us to erase your address, your subscriptions and their history. To confirm, open this link (it works for {minutes} minutes):")
    String eraseMailIntro(long minutes);

    @Message("If you did not ask for this, ignore this message: nothing will happen.")
    String dataMailIgnore();

    @Message("Erase everything about {email}? This cannot be undone.")
    String eraseQuestion(String email);

    @Message("Too many requests for this address in a short time. Please try again in an hour.")
    String tooManyDataRequests();

    @Message("Erase me")
    String eraseTitle();

    @Message("Erasure deletes your address, your subscriptions and their history. We keep only a one-way fingerprint of the address so it is never added again by mistake.")
    String eraseExplain();

    @Message("I understand that this cannot be undone")
    String eraseConfirm();

    @Message("Erase my data")
    String eraseButton();

    @Message("Send me the erasure link")
    String eraseRequestButton();

    @Message("Tick the box to confirm the erasure.")
    String eraseNotConfirmed();

    @Message("Your data is erased")
    String erasedTitle();

    @Message("We have deleted your address, subscriptions and their history.")
    String erased();

    @Message("Saved.")
    String saved();

    @Message("Confirm your subscription to {list}")
    String confirmMailSubject(String list);

    @Message("Someone, probably you, asked to receive {list} at this address. To confirm, open this link (valid for 7 days):")
    String confirmMailIntro(String list);

    @Message("If you did not ask for this, ignore this message: you will not be subscribed.")
    String confirmMailIgnore();

    @Message("Our lists")
    String publicListsTitle();

    @Message("Choose a list to see what it is about and to subscribe.")
    String publicListsIntro();

    @Message("There are no lists open for sign-up at the moment.")
    String noPublicLists();
}
