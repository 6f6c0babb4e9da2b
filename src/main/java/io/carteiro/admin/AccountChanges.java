package io.carteiro.admin;

import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Changes to an account that end its sessions in the same transaction (issue 12.3): a new password, and removal
 * (whose sessions and tokens go with the row).
 */
@ApplicationScoped
public class AccountChanges {

    static final int MIN_PASSWORD = 12;
    static final int MAX_PASSWORD = 200;

    /** What a removal came to. */
    public enum Removal { REMOVED, NO_SUCH_ACCOUNT, YOURSELF, LAST_ACCOUNT }

    @Inject
    EntityManager em;

    @Inject
    AdminSessions sessions;

    /** Why a new password is not acceptable, or null when it is. */
    static String problemWith(String password) {
        if (password == null || password.length() < MIN_PASSWORD) {
            return "the password must have at least " + MIN_PASSWORD + " characters";
        }
        if (password.length() > MAX_PASSWORD) {
            return "the password must have at most " + MAX_PASSWORD + " characters";
        }
        return null;
    }

    /** Sets the password and ends every session of the account; returns how many sessions ended. */
    @Transactional
    public int changePassword(long userId, String newPassword) {
        em.createQuery("update AdminUser u set u.passwordHash = :hash where u.id = :id")
                .setParameter("hash", BcryptUtil.bcryptHash(newPassword, AdminAccounts.BCRYPT_COST))
                .setParameter("id", userId).executeUpdate();
        return sessions.revokeAll(userId);
    }

    /** Removes an account, never the caller's own nor the last one (nobody could sign in again). */
    @Transactional
    public Removal remove(long userId, long callerId) {
        if (userId == callerId) {
            return Removal.YOURSELF;
        }
        AdminUser user = em.find(AdminUser.class, userId);
        if (user == null) {
            return Removal.NO_SUCH_ACCOUNT;
        }
        long count = em.createQuery("select count(u) from AdminUser u", Long.class).getSingleResult();
        if (count <= 1) {
            return Removal.LAST_ACCOUNT;
        }
        sessions.revokeAll(userId);
        em.remove(user);
        return Removal.REMOVED;
    }
}
