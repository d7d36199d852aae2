package io.picam.relay.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.picam.media.ts.TsFramer;
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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ViewerSocketTest {

    @TestHTTPResource("/")
    URI relay;

    @Inject
    TestAccounts accounts;

    @Inject
    HubRegistry hubs;

    private StreamCatalog.Created stream;
    private String admin;

    @BeforeEach
    void newStream() {
        stream = accounts.newStream(StreamFormat.MPEGTS);
        admin = Sessions.admin();
    }

    private String id() {
        return stream.stream().id();
    }

    @Test
    void onlyLoggedInViewersWithAGrantGetIn() {
        assertThat(LiveViewer.refusal(relay, id(), null)).as("anonymous").isEqualTo(401);
        assertThat(LiveViewer.refusal(relay, id(), "forged-cookie"))
                .as("forged cookie")
                .isEqualTo(401);

        String viewer = accounts.newViewer();
        String session = Sessions.login(viewer, TestAccounts.PASSWORD);
        assertThat(LiveViewer.refusal(relay, id(), session)).as("no grant").isEqualTo(403);
        assertThat(LiveViewer.refusal(relay, "no-such-stream", session))
                .as("unknown, for a viewer")
                .isEqualTo(403);
        assertThat(LiveViewer.refusal(relay, "no-such-stream", admin))
                .as("unknown, for an admin")
                .isEqualTo(404);

        accounts.grant(id(), viewer);
        try (LiveViewer granted = LiveViewer.open(relay, id(), session);
                LiveViewer administrator = LiveViewer.open(relay, id(), admin)) {
            // each one's first message is the hello (a count update may follow: see the test below)
            await().untilAsserted(() -> assertThat(granted.texts())
                    .first()
                    .isEqualTo("{\"type\":\"stream\",\"format\":\"mpegts\",\"live\":false,\"viewers\":1}"));
            await().untilAsserted(() -> assertThat(administrator.texts())
                    .first()
                    .isEqualTo("{\"type\":\"stream\",\"format\":\"mpegts\",\"live\":false,\"viewers\":2}"));
        }
    }

    @Test
    void everyViewerIsToldHowManyAreWatchingAsOthersComeAndGo() {
        try (LiveViewer first = LiveViewer.open(relay, id(), admin)) {
            await().untilAsserted(() -> assertThat(first.texts())
                    .containsExactly("{\"type\":\"stream\",\"format\":\"mpegts\",\"live\":false,\"viewers\":1}"));
            List<LiveViewer> others = new ArrayList<>();
            long started = System.nanoTime();
            try {
                for (int i = 0; i < 8; i++) {
                    others.add(LiveViewer.open(relay, id(), admin));
                }
                await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertThat(first.texts())
                                .endsWith("{\"type\":\"status\",\"live\":false,\"viewers\":9}"));
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + 1;
                await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertThat(others.get(0).texts())
                                .endsWith("{\"type\":\"status\",\"live\":false,\"viewers\":9}"));
                // arrivals are told at most once a second, not once each (that would be 8 messages)
                long told = first.texts().stream()
                        .filter(t -> t.startsWith("{\"type\":\"status\""))
                        .count();
                assertThat(told)
                        .as("status messages over %d s of arrivals", seconds)
                        .isBetween(1L, seconds + 1);
            } finally {
                others.forEach(LiveViewer::close);
            }
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() ->
                            assertThat(first.texts()).endsWith("{\"type\":\"status\",\"live\":false,\"viewers\":1}"));
        }
    }

    @Test
    void ffmpegPublishesAndEveryViewerGetsTheSameBytesAndLateJoinersStartAtAJoinPoint() throws Exception {
        Path log = Files.createTempFile("ffmpeg-publish", ".log");
        try (LiveViewer first = LiveViewer.open(relay, id(), admin);
                LiveViewer second = LiveViewer.open(relay, id(), admin)) {
            Process ffmpeg = TestMedia.publishWithFfmpeg(relay.getPort(), id(), stream.secret(), 5, log);
            try {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> first.texts().stream().anyMatch(t -> t.contains("\"live\":true")));
                // join late, after more than one GOP (25 frames at 25 fps)
                await().atMost(Duration.ofSeconds(20)).until(() -> first.byteCount() > 60_000);
                try (LiveViewer late = LiveViewer.open(relay, id(), admin)) {
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> !late.binaries().isEmpty());
                    assertThat(TsFramer.isJoinPointPacket(late.binaries().get(0), 0))
                            .as("the late joiner's first bytes begin with a sequence header")
                            .isTrue();

                    assertThat(ffmpeg.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    assertThat(ffmpeg.exitValue())
                            .as(Files.readString(log, StandardCharsets.UTF_8))
                            .isZero();
                    await().until(() -> late.texts().stream().anyMatch(t -> t.contains("\"live\":false")));

                    byte[] a = first.bytes();
                    byte[] b = second.bytes();
                    assertThat(a.length).isGreaterThan(100_000);
                    assertThat(b)
                            .as("both viewers got identical bytes in order")
                            .isEqualTo(a);
                    assertThat(TsFramer.isJoinPointPacket(a, 0)).isTrue();
                    byte[] l = late.bytes();
                    assertThat(Arrays.copyOfRange(a, a.length - l.length, a.length))
                            .as("the late joiner got the same stream from a later join point")
                            .isEqualTo(l);
                }
            } finally {
                ffmpeg.destroyForcibly();
            }
        }
    }

    @Test
    void aNewPublisherReplacesTheOldOneWhileViewersStay() {
        byte[] clip = TestMedia.tsClip();
        try (LiveViewer viewer = LiveViewer.open(relay, id(), admin);
                TestPublisher old = TestPublisher.open(relay, id(), stream.secret())) {
            old.write(clip, 8192);
            await().until(() -> viewer.byteCount() > 0);

            try (TestPublisher replacement = TestPublisher.open(relay, id(), stream.secret())) {
                replacement.write(clip, 8192);
                assertThat(old.response().statusCode()).isEqualTo(409);
                assertThat(old.response().body()).contains("replaced");
                int before = viewer.byteCount();
                replacement.write(clip, 8192);
                replacement.finish();
                assertThat(replacement.response().statusCode()).isEqualTo(200);
                await().until(() -> viewer.byteCount() > before);
            }
            assertThat(viewer.closed()).as("the viewer kept its connection").isFalse();
            // live:true once (the stream never went offline in between), then offline at the end
            await().untilAsserted(() -> assertThat(viewer.texts())
                    .containsExactly(
                            "{\"type\":\"stream\",\"format\":\"mpegts\",\"live\":false,\"viewers\":1}",
                            "{\"type\":\"status\",\"live\":true,\"viewers\":1}",
                            "{\"type\":\"status\",\"live\":false,\"viewers\":1}"));
        }
    }

    @Test
    void aViewerThatReadsNothingNeitherDelaysOthersNorGrowsTheRelay() {
        byte[] clip = TestMedia.tsClip();
        long limit = 256 * 1024; // %test.picam.viewer.queue-limit
        try (LiveViewer healthy = LiveViewer.open(relay, id(), admin);
                LiveViewer stalled = LiveViewer.open(relay, id(), admin);
                TestPublisher publisher = TestPublisher.open(relay, id(), stream.secret())) {
            stalled.stopReading();
            long sent = 0;
            long maxPending = 0;
            long skipped = 0;
            // ~40 MB: far more than the socket buffers between the relay and the stalled viewer hold
            for (int i = 0; i < 200; i++) {
                publisher.write(clip, 16 * 1024);
                sent += clip.length;
                long offered = sent - TestMedia.firstJoinPoint(clip);
                // the healthy viewer keeps up with the publisher, whatever the other one does
                await().atMost(Duration.ofSeconds(10)).until(() -> healthy.byteCount() >= offered);
                StreamHub hub = hubs.find(id()).orElseThrow();
                for (Viewer v : hub.viewers()) {
                    maxPending = Math.max(maxPending, v.pendingBytes());
                    skipped = Math.max(skipped, v.skippedSegments());
                }
            }
            publisher.finish();
            assertThat(publisher.response().statusCode()).isEqualTo(200);
            assertThat(healthy.byteCount()).isEqualTo(sent - TestMedia.firstJoinPoint(clip));
            assertThat(maxPending).as("bytes the relay held for any viewer").isLessThanOrEqualTo(limit);
            assertThat(skipped)
                    .as("the stalled viewer skipped instead of queueing")
                    .isPositive();
            // %test.picam.viewer.stall-timeout: the relay lets the stalled viewer go...
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> hubs.find(id()).orElseThrow().viewerCount() == 1);
            // ...and says why, which it learns once it reads again
            stalled.resumeReading();
            await().atMost(Duration.ofSeconds(15)).until(stalled::closed);
            assertThat(stalled.closeStatus()).isEqualTo((short) 1008);
            assertThat(healthy.closed()).isFalse();
        }
    }
}
