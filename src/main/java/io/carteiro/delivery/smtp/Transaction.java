package io.carteiro.delivery.smtp;

/** The result of one mail transaction (MAIL, RCPT, DATA): the deciding reply, or a lost connection. */
public sealed interface Transaction permits Transaction.Replied, Transaction.ConnectionLost {

    /** The phase a transaction ended in. */
    enum Phase { MAIL, RCPT, DATA, END_OF_DATA }

    /** The server's reply that decided the transaction: 250 after the final dot, or the first failure. */
    record Replied(SmtpReply reply, Phase phase) implements Transaction {
    }

    /** The connection broke or timed out; the session is closed. */
    record ConnectionLost(String reason, Phase phase) implements Transaction {
    }
}
