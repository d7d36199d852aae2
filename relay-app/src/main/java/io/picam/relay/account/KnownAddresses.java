package io.picam.relay.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * The addresses each user has logged in from. A correct password from one of them is never slowed by guessing
 * that others spread over many addresses against the same username.
 */
@ApplicationScoped
public class KnownAddresses {

    @Transactional
    public boolean known(String username, String address) {
        Number n = (Number) User.getEntityManager()
                .createNativeQuery("select count(*) from login_addresses a "
                        + "join users u on u.id = a.user_id where lower(u.username) = lower(?1) and a.address = ?2")
                .setParameter(1, username)
                .setParameter(2, address)
                .getSingleResult();
        return n.longValue() > 0;
    }

    @Transactional
    public void remember(String username, String address) {
        User.getEntityManager()
                .createNativeQuery("insert into login_addresses (user_id, address) "
                        + "select id, ?2 from users where lower(username) = lower(?1) "
                        + "on conflict (user_id, address) do update set last_login_at = now()")
                .setParameter(1, username)
                .setParameter(2, address)
                .executeUpdate();
    }
}
