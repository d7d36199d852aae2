package io.picam.relay.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.picam.relay.account.LoginSession;
import io.picam.relay.support.Sessions;
import io.picam.relay.support.TestAccounts;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The audit log and the sessions table do not grow for ever: what is past its time is deleted. */
@QuarkusTest
class RetentionTest {

    @Inject
    Retention retention;

    @Inject
    TestAccounts accounts;

    @Test
    void auditEntriesOlderThanTheRetentionAndDeadSessionsAreDeleted() {
        long old = entry(Instant.now().minus(Duration.ofDays(91)));
        long recent = entry(Instant.now().minus(Duration.ofDays(89)));
        String viewer = accounts.newViewer();
        Sessions.login(viewer, TestAccounts.PASSWORD);
        long dead = QuarkusTransaction.requiringNew().call(() -> {
            LoginSession s = LoginSession.find("user.username", viewer).firstResult();
            s.lastSeenAt = Instant.now().minus(Duration.ofDays(8)); // past the 7-day idle timeout
            return s.id;
        });

        assertThat(retention.run()).isGreaterThanOrEqualTo(1);

        QuarkusTransaction.requiringNew().run(() -> {
            assertThat(AuditEntry.<AuditEntry>findByIdOptional(old)).isEmpty();
            assertThat(AuditEntry.<AuditEntry>findByIdOptional(recent)).isPresent();
            assertThat(LoginSession.<LoginSession>findByIdOptional(dead)).isEmpty();
        });
    }

    private static long entry(Instant at) {
        return QuarkusTransaction.requiringNew().call(() -> {
            AuditEntry e = new AuditEntry();
            e.at = at;
            e.action = "login";
            e.actor = "someone";
            e.persist();
            return e.id;
        });
    }
}
