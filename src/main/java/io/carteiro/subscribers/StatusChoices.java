package io.carteiro.subscribers;

import io.quarkus.qute.TemplateGlobal;

import java.util.Arrays;
import java.util.List;

/** The status values the subscriber pages offer in their drop-downs, taken from the enums so they never drift. */
@TemplateGlobal
final class StatusChoices {

    static final List<String> subscriberStatuses = Arrays.stream(SubscriberStatus.values())
            .map(SubscriberStatus::value).toList();

    static final List<String> subscriptionStatuses = Arrays.stream(SubscriptionStatus.values())
            .map(SubscriptionStatus::value).toList();

    private StatusChoices() {
    }
}
