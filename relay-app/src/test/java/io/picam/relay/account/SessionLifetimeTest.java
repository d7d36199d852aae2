package io.picam.relay.account;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.picam.relay.stream.StreamFormat;
import io.picam.relay.support.LiveViewer;
import io.picam.relay.support.Sessions;
import io.picam.relay.support.TestAccounts;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A session ends when unused for the idle timeout, and at its maximum age however much it is used. */
@QuarkusTest
@TestProfile(SessionLifetimeTest.ShortSessions.class)
class SessionLifetimeTest {

    public static class ShortSessions implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("picam.session.idle-timeout", "2S", "picam.session.max-age", "6S");
        }
    }

    @Inject
    TestAccounts accounts;

    @TestHTTPResource("/")
    URI relay;

    private static int me(String session) {
        return given().cookie(Sessions.COOKIE, session).get("/api/me").statusCode();
    }

    @Test
    void anUnusedSessionEndsAfterTheIdleTimeout() {
        String session = Sessions.login(accounts.newViewer(), TestAccounts.PASSWORD);
        assertThat(me(session)).isEqualTo(200);
        // time passing is the condition here: the first look after the idle timeout must find it ended
        await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() -> me(session) == 401);
    }

    @Test
    void aSessionInUseEndsAtItsMaximumAgeAndItsSocketsClose() {
        String viewer = accounts.newViewer();
        var stream = accounts.newStream(StreamFormat.MPEGTS);
        accounts.grant(stream.stream().id(), viewer);
        long start = System.nanoTime();
        String session = Sessions.login(viewer, TestAccounts.PASSWORD);
        try (LiveViewer socket = LiveViewer.open(relay, stream.stream().id(), session)) {
            // used every half second: it outlives the idle timeout, then ends at six seconds
            await().pollInterval(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> me(session) == 401);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(5500));
            await().atMost(Duration.ofSeconds(10)).until(socket::closed);
            assertThat(socket.closeStatus()).isEqualTo((short) 1008);
        }
    }
}
