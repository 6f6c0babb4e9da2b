package io.carteiro.deliverability;

import java.util.List;

/**
 * What rspamd thought of a campaign's rendered message: its score, the action it would take and the rules that fired;
 * or why there is no score (rspamd unreachable, slow, answering nonsense), said in one line for the preview; or that
 * no rspamd is configured.
 */
sealed interface ContentScore permits ContentScore.Scored, ContentScore.Unavailable, ContentScore.Off {

    /** The wire name of the outcome in the API: {@code scored}, {@code unavailable} or {@code off}. */
    String status();

    /** One rule that fired (rspamd calls them symbols); options are what it matched, when it says. */
    record Symbol(String name, double score, String description, List<String> options) {
    }

    /**
     * rspamd's verdict.
     *
     * @param requiredScore the score at which rspamd's own configuration rejects
     * @param action        what rspamd would do: {@code no action}, {@code greylist}, {@code add header},
     *                      {@code rewrite subject}, {@code soft reject} or {@code reject}
     * @param symbols       the rules that fired, the heaviest first
     */
    record Scored(double score, double requiredScore, String action, List<Symbol> symbols) implements ContentScore {
        @Override
        public String status() {
            return "scored";
        }
    }

    /** No score: {@code detail} starts with "content score unavailable: " and says why. */
    record Unavailable(String detail) implements ContentScore {
        static Unavailable because(String reason) {
            return new Unavailable("content score unavailable: " + reason);
        }

        @Override
        public String status() {
            return "unavailable";
        }
    }

    /** No rspamd is configured ({@code carteiro.deliverability.rspamd-url} unset). */
    record Off() implements ContentScore {
        @Override
        public String status() {
            return "off";
        }
    }
}
