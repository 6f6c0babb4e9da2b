package io.carteiro.unsubscribe;

import io.agroal.api.AgroalDataSource;
import io.carteiro.support.Visitors;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 12.16: {@code victim+0@…} … {@code victim+4@…} sent five confirmation mails to one inbox. Confirmation mails
 * are limited per mailbox (the address without its {@code +subaddress}: one pending confirmation) and per recipient
 * domain; every post comes from a different client address, as a botnet's would, so the per-IP limit plays no part.
 */
@QuarkusTest
class PlusAddressBombingTest {

    @Inject
    AgroalDataSource db;

    @Test
    void subaddressesOfOneMailboxGetOneConfirmationMail() throws SQLException {
        long list = Visitors.publicList(db, "Bombing", "double");
        String victim = "victim" + Visitors.unique();
        for (String tag : new String[]{"+0", "+1", "+2", "+news", ""}) {
            Visitors.signUp(list, victim + tag + "@example.org", null).then().statusCode(200)
                    .body(containsString("Check your inbox"));
        }
        Visitors.signUp(list, victim.toUpperCase(java.util.Locale.ROOT) + "+5@example.org", null)
                .then().statusCode(429);
        assertEquals(1, mailsTo(victim + "%@example.org"));
    }

    @Test
    void oneDomainGetsNoMoreConfirmationMailsThanItsLimit() throws SQLException {
        long list = Visitors.publicList(db, "Domain bombing", "double");
        String domain = "target-" + Visitors.unique() + ".example";
        for (int i = 0; i < 100; i++) {
            Visitors.signUp(list, "person" + i + "@" + domain, null).then().statusCode(200);
        }
        Visitors.signUp(list, "one-more@" + domain, null).then().statusCode(429)
                .body(containsString("Too many"));
        assertEquals(100, mailsTo("%@" + domain));
        Visitors.signUp(list, "someone@other-" + domain, null).then().statusCode(200);
        api("someone@other-" + domain);
    }

    private static void api(String email) {
        Visitors.api().queryParam("email", email).get("/api/subscribers").then().statusCode(200)
                .body("[0].email", org.hamcrest.Matchers.equalTo(email));
    }

    private long mailsTo(String pattern) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM outbound_message WHERE recipient LIKE ?")) {
            s.setString(1, pattern);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
