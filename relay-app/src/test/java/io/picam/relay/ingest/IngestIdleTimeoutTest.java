package io.picam.relay.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.picam.relay.stream.StreamCatalog;
import io.picam.relay.stream.StreamFormat;
import io.picam.relay.support.LiveViewer;
import io.picam.relay.support.Sessions;
import io.picam.relay.support.TestAccounts;
import io.picam.relay.support.TestMedia;
import io.picam.relay.support.TestPublisher;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A publisher that stops sending without closing (a Pi whose Wi-Fi went) is ended with 408 after the idle timeout. */
@QuarkusTest
@TestProfile(IngestIdleTimeoutTest.ShortIdleTimeout.class)
class IngestIdleTimeoutTest {

    /** One second instead of 20, so that the test waits for the timeout itself, not for a clock. */
    public static class ShortIdleTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("picam.ingest.idle-timeout", "1S");
        }
    }

    @TestHTTPResource("/")
    URI relay;

    @Inject
    TestAccounts accounts;

    @Test
    void aPublisherThatGoesSilentIsAnswered408AndTheStreamGoesOffline() {
        StreamCatalog.Created stream = accounts.newStream(StreamFormat.MPEGTS);
        try (LiveViewer viewer = LiveViewer.open(relay, stream.stream().id(), Sessions.admin());
                TestPublisher publisher =
                        TestPublisher.open(relay, stream.stream().id(), stream.secret())) {
            publisher.write(TestMedia.tsClip());
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> viewer.texts().stream().anyMatch(t -> t.contains("\"live\":true")));

            // then nothing more, and the upload stays open
            await().atMost(Duration.ofSeconds(30)).until(publisher::answered);
            TestPublisher.Answer answer = publisher.response();
            assertThat(answer.statusCode()).isEqualTo(408);
            assertThat(answer.body()).contains("no data for 1000 ms");
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () -> assertThat(viewer.texts()).last().asString().contains("\"live\":false"));
        }
    }
}
