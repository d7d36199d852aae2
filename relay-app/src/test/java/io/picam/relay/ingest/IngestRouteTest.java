package io.picam.relay.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.picam.relay.stream.StreamCatalog;
import io.picam.relay.stream.StreamFormat;
import io.picam.relay.support.LiveViewer;
import io.picam.relay.support.Sessions;
import io.picam.relay.support.TestAccounts;
import io.picam.relay.support.TestMedia;
import io.picam.relay.support.TestPublisher;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class IngestRouteTest {

    private static final String UNAUTHORIZED = "unknown stream or wrong secret\n";

    @TestHTTPResource("/")
    URI relay;

    @Inject
    TestAccounts accounts;

    private StreamCatalog.Created stream;
    private String admin;

    @BeforeEach
    void newStream() {
        stream = accounts.newStream(StreamFormat.MPEGTS);
        admin = Sessions.admin();
    }

    @Test
    void wrongMissingAndUnknownAllLookTheSame() {
        byte[] clip = TestMedia.tsClipStart();
        given().header("Authorization", "Bearer not-the-secret")
                .contentType("video/mp2t")
                .body(clip)
                .post("/ingest/{id}", stream.stream().id())
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body(equalTo(UNAUTHORIZED));
        given().contentType("video/mp2t")
                .body(clip)
                .post("/ingest/{id}", stream.stream().id())
                .then()
                .statusCode(401)
                .body(equalTo(UNAUTHORIZED));
        given().header("Authorization", "Bearer " + stream.secret())
                .contentType("video/mp2t")
                .body(clip)
                .post("/ingest/{id}", "no-such-stream")
                .then()
                .statusCode(401)
                .body(equalTo(UNAUTHORIZED));
        // another stream's secret does not open this one
        StreamCatalog.Created other = accounts.newStream(StreamFormat.MPEGTS);
        given().header("Authorization", "Bearer " + other.secret())
                .contentType("video/mp2t")
                .body(clip)
                .post("/ingest/{id}", stream.stream().id())
                .then()
                .statusCode(401)
                .body(equalTo(UNAUTHORIZED));
        given().header("Authorization", "Basic " + stream.secret())
                .contentType("video/mp2t")
                .body(clip)
                .post("/ingest/{id}", stream.stream().id())
                .then()
                .statusCode(401);
    }

    @Test
    void wrongContentTypeIs415WithTheExpectedOne() {
        given().header("Authorization", "Bearer " + stream.secret())
                .contentType("video/mp4")
                .body(TestMedia.tsClipStart())
                .post("/ingest/{id}", stream.stream().id())
                .then()
                .statusCode(415)
                .body(containsString("video/mp2t"));
    }

    @Test
    void garbageIs400AndNothingReachesViewers() {
        // small enough to be written whole before the relay answers 400 and closes (a larger body races the close)
        byte[] garbage = new byte[4 * 1024];
        ThreadLocalRandom.current().nextBytes(garbage);
        try (LiveViewer viewer = LiveViewer.open(relay, stream.stream().id(), admin)) {
            await().until(() -> !viewer.texts().isEmpty());
            given().header("Authorization", "Bearer " + stream.secret())
                    .contentType("video/mp2t")
                    .body(garbage)
                    .post("/ingest/{id}", stream.stream().id())
                    .then()
                    .statusCode(400)
                    .body(containsString("not MPEG-TS"));
            assertThat(viewer.texts()).as("garbage never makes the stream live").hasSize(1);
            assertThat(viewer.byteCount()).isZero();
            // a valid clip afterwards proves the viewer was listening, and that garbage was never forwarded
            given().header("Authorization", "Bearer " + stream.secret())
                    .contentType("video/mp2t")
                    .body(TestMedia.tsClip())
                    .post("/ingest/{id}", stream.stream().id())
                    .then()
                    .statusCode(200);
            byte[] clip = TestMedia.tsClip();
            byte[] expected = Arrays.copyOfRange(clip, TestMedia.firstJoinPoint(clip), clip.length);
            await().untilAsserted(() -> assertThat(viewer.bytes()).isEqualTo(expected));
        }
    }

    @Test
    void anAuthenticatedEmptyOrGarbageUploadLeavesTheLivePublisherAlone() {
        byte[] clip = TestMedia.tsClip();
        // small enough to be written whole before the relay answers 400 and closes (a larger body races the close)
        byte[] garbage = new byte[4 * 1024];
        ThreadLocalRandom.current().nextBytes(garbage);
        garbage[0] = 0; // never a sync byte
        try (LiveViewer viewer = LiveViewer.open(relay, stream.stream().id(), admin);
                TestPublisher live = TestPublisher.open(relay, stream.stream().id(), stream.secret())) {
            live.write(clip);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> viewer.texts().stream().anyMatch(t -> t.contains("\"live\":true")));
            int before = viewer.byteCount();

            // the empty upload `picam doctor` and `picam setup` send to check a secret, then garbage with the secret
            given().header("Authorization", "Bearer " + stream.secret())
                    .contentType("video/mp2t")
                    .body(new byte[0])
                    .post("/ingest/{id}", stream.stream().id())
                    .then()
                    .statusCode(200)
                    .body(containsString("after 0 bytes"));
            given().header("Authorization", "Bearer " + stream.secret())
                    .contentType("video/mp2t")
                    .body(garbage)
                    .post("/ingest/{id}", stream.stream().id())
                    .then()
                    .statusCode(400);

            live.write(clip);
            await().atMost(Duration.ofSeconds(30)).until(() -> viewer.byteCount() > before);
            assertThat(live.answered()).as("the live upload goes on").isFalse();
            assertThat(viewer.texts())
                    .as("the stream never went offline")
                    .noneMatch(t -> t.contains("\"live\":false") && t.contains("\"status\""));
        }
    }

    @Test
    void aCleanEndIs200AndViewersGetEveryByteFromTheFirstJoinPoint() {
        byte[] clip = TestMedia.tsClip();
        try (LiveViewer viewer = LiveViewer.open(relay, stream.stream().id(), admin)) {
            await().until(() -> !viewer.texts().isEmpty());
            given().header("Authorization", "Bearer " + stream.secret())
                    .contentType("video/mp2t")
                    .body(clip)
                    .post("/ingest/{id}", stream.stream().id())
                    .then()
                    .statusCode(200);
            byte[] expected = Arrays.copyOfRange(clip, TestMedia.firstJoinPoint(clip), clip.length);
            await().untilAsserted(() -> assertThat(viewer.bytes()).isEqualTo(expected));
            await().untilAsserted(() -> assertThat(viewer.texts())
                    .contains(
                            "{\"type\":\"status\",\"live\":true,\"viewers\":1}",
                            "{\"type\":\"status\",\"live\":false,\"viewers\":1}"));
        }
    }

    @Test
    void aBodyLargerThanQuarkusUploadLimitIsNotCut() {
        byte[] clip = TestMedia.tsClip();
        ByteArrayOutputStream big = new ByteArrayOutputStream();
        while (big.size() < 12 * 1024 * 1024) { // Quarkus refuses bodies over 10 MB by default
            big.writeBytes(clip);
        }
        given().header("Authorization", "Bearer " + stream.secret())
                .contentType("video/mp2t")
                .body(big.toByteArray())
                .post("/ingest/{id}", stream.stream().id())
                .then()
                .statusCode(200)
                .body(containsString("stream ended after " + big.size() + " bytes"));
    }

    @Test
    void theBodyIsForwardedAsItArrives() {
        byte[] clip = TestMedia.tsClip();
        int half = clip.length / 2 / 188 * 188;
        try (LiveViewer viewer = LiveViewer.open(relay, stream.stream().id(), admin);
                TestPublisher publisher =
                        TestPublisher.open(relay, stream.stream().id(), stream.secret())) {
            publisher.write(Arrays.copyOfRange(clip, 0, half), 8192);
            // the viewer sees video while the upload is still going on
            await().atMost(Duration.ofSeconds(10)).until(() -> viewer.byteCount() > 0);
            assertThat(publisher.answered()).isFalse();
            publisher.write(Arrays.copyOfRange(clip, half, clip.length), 8192);
            publisher.finish();
            assertThat(publisher.response().statusCode()).isEqualTo(200);
            byte[] expected = Arrays.copyOfRange(clip, TestMedia.firstJoinPoint(clip), clip.length);
            await().untilAsserted(() -> assertThat(viewer.bytes()).isEqualTo(expected));
        }
    }
}
