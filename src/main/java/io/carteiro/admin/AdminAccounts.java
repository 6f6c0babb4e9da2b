package io.carteiro.admin;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.Locale;
import java.util.Optional;

/** Admin accounts: lookup by e-mail, creation with a bcrypt hash, password checks. */
@ApplicationScoped
public class AdminAccounts implements PanacheRepository<AdminUser> {

    static final int BCRYPT_COST = 12;

    public Optional<AdminUser> findByEmail(String email) {
        return find("email", normalise(email)).firstResultOptional();
    }

    @Transactional
    public AdminUser create(String email, String password, String role) {
        AdminUser user = new AdminUser();
        user.email = normalise(email);
        user.passwordHash = BcryptUtil.bcryptHash(password, BCRYPT_COST);
        user.role = role;
        persist(user);
        return user;
    }

    /** Checks a password against the stored hash in constant time (bcrypt's own comparison). */
    static boolean matches(AdminUser user, String password) {
        return BcryptUtil.matches(password, user.passwordHash);
    }

    static String normalise(String email) {
        return email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
    }
}
