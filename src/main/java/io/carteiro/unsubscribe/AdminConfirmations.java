package io.carteiro.unsubscribe;

import io.carteiro.subscribers.ConfirmationMail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.Locale;

/** The confirmation mail an admin's add, import or "resend" asks for, through the public sign-up's own path. */
@ApplicationScoped
class AdminConfirmations implements ConfirmationMail {

    @Inject
    SubscribeService subscribe;

    @Inject
    Clock clock;

    @Override
    public Sent request(long subscriberId, long listId, Locale locale) {
        return subscribe.requestConfirmation(subscriberId, listId, locale == null ? Locale.ENGLISH : locale,
                clock.instant());
    }
}
