package io.carteiro.delivery;

import io.carteiro.delivery.dkim.DkimKey;
import io.carteiro.delivery.dkim.DkimKeys;
import io.carteiro.delivery.dkim.DkimSigner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.List;

/** Adds a DKIM signature per active key of the sending domain (none when the domain has no key). */
@ApplicationScoped
class MessageSigner {

    @Inject
    DkimKeys keys;

    @Inject
    Clock clock;

    MessageComposer.Composed sign(String sender, MessageComposer.Composed message) {
        String domain = sender.substring(sender.lastIndexOf('@') + 1);
        List<DkimKey> active = keys.active(domain);
        if (active.isEmpty()) {
            return message;
        }
        List<DkimSigner.Field> fields = message.headers().stream()
                .map(h -> new DkimSigner.Field(h.name(), h.value())).toList();
        MessageComposer.Composed signed = message;
        for (DkimKey key : active) {
            signed = signed.withFirst(new MessageComposer.Header("DKIM-Signature",
                    DkimSigner.sign(fields, message.body(), key, clock.instant())));
        }
        return signed;
    }
}
