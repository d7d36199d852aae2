package io.picam.relay.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.picam.relay.support.Sessions;
import io.picam.relay.support.TestAccounts;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Login limits that protect the owner: guessing from one address never locks the owner out from another, guessing
 * spread over many addresses is slowed except from addresses the user has logged in from, and refused attempts
 * are audited as one entry per burst. (The test relay trusts one proxy hop, so X-Forwarded-For is the address.)
 */
@QuarkusTest
class LoginGuardTest {

    @Inject
    TestAccounts accounts;

    @Inject
    LoginGuard guard;

    @Test
    void twelveWrongGuessesForAdminFromOneAddressDoNotLockAdminOutFromAnother() {
        String attacker = "203.0.113.77";
        int refused = 0;
        for (int i = 0; i < 12; i++) {
            Response r = Sessions.attempt(TestAccounts.ADMIN, "guess-" + i, attacker);
            assertThat(r.statusCode()).isIn(302, 429);
            refused += r.statusCode() == 429 ? 1 : 0;
        }
        assertThat(refused).as("%test.picam.login.failures-per-user is 3").isEqualTo(9);
        // the right password from the guessing address is refused too: guessing gains nothing
        Response fromAttacker = Sessions.attempt(TestAccounts.ADMIN, TestAccounts.ADMIN_PASSWORD, attacker);
        assertThat(fromAttacker.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(fromAttacker.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(fromAttacker.headers().getValues("Set-Cookie")).noneMatch(c -> c.startsWith(Sessions.COOKIE + "="));

        // the owner, from home (an address admin has logged in from) and from a new one, gets in
        Sessions.attempt(TestAccounts.ADMIN, TestAccounts.ADMIN_PASSWORD, "198.51.100.20"); // remembered as home
        for (String address : List.of("198.51.100.20", "198.51.100.21")) {
            Response owner = Sessions.attempt(TestAccounts.ADMIN, TestAccounts.ADMIN_PASSWORD, address);
            assertThat(owner.statusCode()).as(address).isEqualTo(302);
            assertThat(owner.header("Location")).isEqualTo("/");
            assertThat(owner.cookie(Sessions.COOKIE)).isNotBlank();
        }
    }

    @Test
    void guessingSpreadOverManyAddressesIsSlowedButNotForAnAddressTheUserLoggedInFrom() {
        String victim = accounts.newViewer();
        String home = "192.0.2.200";
        assertThat(Sessions.attempt(victim, TestAccounts.PASSWORD, home).statusCode())
                .isEqualTo(302);
        for (int i = 0; i < 6; i++) { // %test.picam.login.failures-per-user-all-addresses, one guess per address
            assertThat(Sessions.attempt(victim, "guess-" + i, "198.18.0." + i).statusCode())
                    .isEqualTo(302);
        }
        // a new address is now refused before its password is looked at, even the right one
        Response spread = Sessions.attempt(victim, TestAccounts.PASSWORD, "198.18.1.1");
        assertThat(spread.statusCode()).isEqualTo(429);
        assertThat(spread.body().asString()).contains("too many failed logins");
        // the owner's own address is not subject to that limit
        Response owner = Sessions.attempt(victim, TestAccounts.PASSWORD, home);
        assertThat(owner.statusCode()).isEqualTo(302);
        assertThat(owner.cookie(Sessions.COOKIE)).isNotBlank();
    }

    @Test
    void refusedGuessesAreOneAuditEntryPerBurstWithACount() {
        String victim = accounts.newViewer();
        String address = "203.0.113.99";
        for (int i = 0; i < 3; i++) {
            assertThat(Sessions.attempt(victim, "wrong-" + i, address).statusCode())
                    .isEqualTo(302);
        }
        for (int i = 0; i < 20; i++) {
            assertThat(Sessions.attempt(victim, "wrong-again-" + i, address).statusCode())
                    .isEqualTo(429);
        }
        guard.flushBursts(); // what the relay does every minute
        List<Map<String, Object>> audit = given().cookie(Sessions.COOKIE, Sessions.admin())
                .get("/api/admin/audit")
                .then()
                .statusCode(200)
                .extract()
                .path("findAll { it.actor == '" + victim + "' }");
        assertThat(audit)
                .filteredOn(e -> "login-failed".equals(e.get("action")))
                .hasSize(3)
                .allSatisfy(e -> assertThat(e.get("address")).isEqualTo(address));
        assertThat(audit)
                .filteredOn(e -> "login-throttled".equals(e.get("action")))
                .singleElement()
                .satisfies(e -> assertThat(e.get("detail")).isEqualTo("20 attempts refused"))
                .satisfies(e -> assertThat(e.get("address")).isEqualTo(address));
        assertThat(audit.toString()).doesNotContain("wrong-");
    }
}
