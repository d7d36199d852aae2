package io.picam.relay.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.picam.media.ts.TsFramer;
import io.picam.relay.support.LiveViewer;
import io.picam.relay.support.Sessions;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a newcomer sees first: the built-in test-pattern camera plays. */
@QuarkusTest
@TestProfile(DemoCameraTest.DemoEnabled.class)
class DemoCameraTest {

    public static class DemoEnabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("picam.demo.enabled", "true");
        }
    }

    @TestHTTPResource("/")
    URI relay;

    @Test
    void theDemoCameraIsLiveAndDecodable() {
        try (LiveViewer viewer = LiveViewer.open(relay, DemoCamera.STREAM_ID, Sessions.admin())) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !viewer.binaries().isEmpty());
            assertThat(viewer.texts()).anyMatch(t -> t.contains("\"live\":true"));
            assertThat(TsFramer.isJoinPointPacket(viewer.binaries().get(0), 0)).isTrue();
        }
    }
}
