package io.picam.relay.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;

import java.net.URI;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.picam.relay.stream.StreamFormat;
import io.picam.relay.support.LiveViewer;
import io.picam.relay.support.Sessions;
import io.picam.relay.support.TestAccounts;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** A reset password ends the logins made with the old one (a stolen cookie among them), and only those. */
@QuarkusTest
class SessionRevocationTest {

    @TestHTTPResource("/")
    URI relay;

    @Inject
    TestAccounts accounts;

    @Inject
    SessionRevocation revocation;

    @Test
    void aPasswordResetEndsEveryLoginMadeBeforeIt() {
        String user = accounts.newViewer();
        String streamId = accounts.newStream(StreamFormat.MPEGTS).stream().id();
        accounts.grant(streamId, user);
        String laptop = Sessions.login(user, TestAccounts.PASSWORD);
        String stolen = Sessions.login(user, TestAccounts.PASSWORD);
        String bystander = Sessions.login(accounts.newViewer(), TestAccounts.PASSWORD);
        given().cookie(Sessions.COOKIE, laptop).get("/api/me").then().statusCode(200);

        try (LiveViewer watching = LiveViewer.open(relay, streamId, stolen)) {
            Sessions.page(Sessions.admin()).contentType(ContentType.JSON).body("{\"password\":\"a-brand-new-password\"}")
                    .patch("/api/admin/users/" + user).then().statusCode(200);

            given().cookie(Sessions.COOKIE, laptop).get("/api/me").then().statusCode(401);
            given().cookie(Sessions.COOKIE, stolen).get("/api/me").then().statusCode(401);
            await().atMost(Duration.ofSeconds(5)).until(watching::closed);
            assertThat(watching.closeStatus()).isEqualTo((short) 1008);
        }
        assertThat(LiveViewer.refusal(relay, streamId, stolen)).as("no way back in with the old cookie").isEqualTo(401);
        given().cookie(Sessions.COOKIE, stolen).redirects().follow(false).get("/").then().statusCode(303)
                .header("Location", endsWith("/login?expired=1"));

        given().cookie(Sessions.COOKIE, bystander).get("/api/me").then().statusCode(200); // other users stay logged in
        String fresh = Sessions.login(user, "a-brand-new-password");
        given().cookie(Sessions.COOKIE, fresh).get("/api/me").then().statusCode(200);
        assertThat(LiveViewer.refusal(relay, "no-such-stream", fresh)).as("and the new login works on the WebSocket")
                .isEqualTo(403);
    }

    /** Guards the one thing read from Quarkus' own cookie, so that an upgrade that changes it fails here. */
    @Test
    void theLoginCookieSaysWhoAndWhenItWasIssued() {
        String user = accounts.newViewer();
        long before = System.currentTimeMillis();
        String session = Sessions.login(user, TestAccounts.PASSWORD);
        SessionRevocation.Issued issued = revocation.open(session).orElseThrow();
        assertThat(issued.username()).isEqualTo(user);
        assertThat(issued.at()).isBetween(before - 1000, System.currentTimeMillis() + 1000);
        assertThat(revocation.open("not-a-cookie")).isEmpty();
    }
}
