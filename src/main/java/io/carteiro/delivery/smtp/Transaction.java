package io.carteiro.delivery.smtp;

/**
 * The result of one mail transaction (MAIL, RCPT, DATA, message): the deciding reply with the command it answered,
 * or a lost connection with the command whose reply never came.
 */
public sealed interface Transaction permits Transaction.Replied, Transaction.ConnectionLost {

    /** The command a reply answers (Postfix's "in reply to ... command"). */
    enum Command {
        MAIL("MAIL FROM"), RCPT("RCPT TO"), DATA("DATA"), END_OF_DATA("end of DATA");

        private final String label;

        Command(String label) {
            this.label = label;
        }

        /** How logs and the attempt log name it. */
        public String label() {
            return label;
        }
    }

    /** The reply that decided the transaction: 250 after the final dot, or the first failure. */
    record Replied(SmtpReply reply, Command command) implements Transaction {
    }

    /** The connection broke or timed out waiting for the reply to {@code command}; the session is closed. */
    record ConnectionLost(String reason, Command command) implements Transaction {
    }
}
