package io.picam.relay.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.picam.relay.alerts.WebhookReceiver;
import io.picam.relay.audit.AuditLog;
import io.picam.relay.stream.StreamCatalog;
import io.picam.relay.stream.StreamFormat;
import io.picam.relay.support.LiveViewer;
import io.picam.relay.support.S3ProxyTestResource;
import io.picam.relay.support.Sessions;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Recording into a real S3 API server (S3Proxy with its filesystem backend), and what happens when it goes away. */
@QuarkusTest
@TestProfile(RecordingS3Test.S3.class)
class RecordingS3Test extends RecordingContract {

    public static class S3 implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(S3ProxyTestResource.class));
        }
    }

    @Inject
    MeterRegistry metrics;

    @Inject
    SegmentUploader uploader;

    @Inject
    AuditLog audit;

    @Test
    void theS3StoreIsUsedWhenABucketIsSet() {
        assertThat(store().describe()).startsWith("S3 bucket " + S3ProxyTestResource.BUCKET);
    }

    @Test
    void whileTheStoreIsDownViewersWatchOnAGapIsRecordedAndRecordingResumesByItself() throws Exception {
        WebhookReceiver receiver = new WebhookReceiver();
        long hook = Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("url", receiver.url("/gaps"), "events", List.of("recording.gap")))
                .post("/api/admin/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        StreamCatalog.Created stream = recordedStream(StreamFormat.MPEGTS);
        String id = stream.stream().id();
        Path log = Files.createTempFile("ffmpeg-outage", ".log");
        Process ffmpeg = publish(StreamFormat.MPEGTS, relay, stream, 90, log);
        try (LiveViewer viewer = LiveViewer.open(relay, id, admin)) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !index.segments(id, Instant.now().minusSeconds(600), Instant.now())
                            .isEmpty());

            S3ProxyTestResource.stopStore();
            AtomicLong mostQueued = new AtomicLong();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        mostQueued.accumulateAndGet(uploader.queuedBytes(), Math::max);
                        Counter gaps = metrics.find("picam.recording.gaps")
                                .tag("stream", id)
                                .counter();
                        return gaps != null && gaps.count() >= 1;
                    });
            assertThat(mostQueued.get())
                    .as("the upload queue stays within picam.recording.queue-limit (1M in tests)")
                    .isLessThanOrEqualTo(1024 * 1024);
            int before = viewer.byteCount();
            await().atMost(Duration.ofSeconds(10)).until(() -> viewer.byteCount() > before + 100_000);

            Instant back = Instant.now();
            S3ProxyTestResource.startStore();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> index.segments(id, back, Instant.now().plusSeconds(60)).stream()
                            .anyMatch(s -> s.start().isAfter(back)));
            // the webhook hears of the gap, with its start and end, when the recording resumes: each gap once
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !receiver.about("/gaps", id).isEmpty());
            await().during(Duration.ofSeconds(5))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> receiver.about("/gaps", id).stream()
                                    .map(r -> new JsonPath(r.body()).getString("gap.start"))
                                    .distinct()
                                    .count()
                            == receiver.about("/gaps", id).size());
        } finally {
            ffmpeg.destroy();
            Sessions.page(admin).delete("/api/admin/webhooks/{id}", hook);
            receiver.close();
        }
        WebhookReceiver.Received told = receiver.about("/gaps", id).get(0);
        assertThat(told.event()).isEqualTo("recording.gap");
        JsonPath body = new JsonPath(told.body());
        assertThat(body.getString("event")).isEqualTo("recording.gap");
        assertThat(body.getString("stream.id")).isEqualTo(id);
        Instant gapStart = Instant.parse(body.getString("gap.start"));
        Instant gapEnd = Instant.parse(body.getString("gap.end"));
        assertThat(gapStart).isBefore(gapEnd);
        assertThat(body.getString("at")).isEqualTo(gapEnd.toString());
        List<Map<String, String>> spans = spans(id, admin);
        assertThat(spans).as("recorded, a gap, recorded again").hasSizeGreaterThanOrEqualTo(2);
        assertThat(QuarkusTransaction.requiringNew().call(() -> audit.newest(200)))
                .anySatisfy(entry -> {
                    assertThat(entry.action).isEqualTo("recording-gap");
                    assertThat(entry.target).isEqualTo(id);
                });
        assertThat(index.segments(id, Instant.now().minus(1, ChronoUnit.HOURS), Instant.now())
                        .size())
                .isGreaterThan(2);
    }
}
