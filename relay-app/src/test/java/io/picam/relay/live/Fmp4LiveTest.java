package io.picam.relay.live;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.picam.media.MediaSegment;
import io.picam.media.MediaSegment.Kind;
import io.picam.media.fmp4.Fmp4Framer;
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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** H.264 in fragmented MP4: the init segment first, fragments from a keyframe, re-initialisation on reconnect. */
@QuarkusTest
class Fmp4LiveTest {

    @TestHTTPResource("/")
    URI relay;

    @Inject
    TestAccounts accounts;

    private StreamCatalog.Created stream;
    private String admin;

    @BeforeEach
    void newStream() {
        stream = accounts.newStream(StreamFormat.FMP4);
        admin = Sessions.admin();
    }

    private String id() {
        return stream.stream().id();
    }

    private static List<MediaSegment> frame(byte[] received) throws Exception {
        return new Fmp4Framer().feed(received, 0, received.length);
    }

    private static String type(byte[] box) {
        return new String(box, 4, 4, StandardCharsets.ISO_8859_1);
    }

    @Test
    void ffmpegPublishesH264AndViewersGetInitThenKeyframeFragments() throws Exception {
        Path log = Files.createTempFile("ffmpeg-fmp4", ".log");
        try (LiveViewer early = LiveViewer.open(relay, id(), admin)) {
            Process ffmpeg = TestMedia.publishFmp4WithFfmpeg(relay.getPort(), id(), stream.secret(), 5, log);
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> early.byteCount() > 30_000);
                try (LiveViewer late = LiveViewer.open(relay, id(), admin)) {
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> late.binaries().size() >= 2);
                    String hello = late.texts().get(0);
                    assertThat(hello)
                            .startsWith(
                                    "{\"type\":\"stream\",\"format\":\"fmp4\",\"mime\":\"video/mp4; codecs=\\\"avc1.")
                            .contains("\"live\":true");
                    assertThat(type(late.binaries().get(0)))
                            .as("the init segment comes first")
                            .isEqualTo("ftyp");
                    assertThat(ffmpeg.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    assertThat(ffmpeg.exitValue())
                            .as(Files.readString(log, StandardCharsets.UTF_8))
                            .isZero();
                    await().until(() -> late.texts().stream().anyMatch(t -> t.contains("\"live\":false")));

                    List<MediaSegment> lateSegments = frame(late.bytes());
                    assertThat(lateSegments.get(0).kind()).isEqualTo(Kind.INIT);
                    assertThat(lateSegments.get(1).kind())
                            .as("a late joiner starts at a keyframe")
                            .isEqualTo(Kind.JOIN);
                    List<MediaSegment> earlySegments = frame(early.bytes());
                    assertThat(earlySegments.get(0).kind()).isEqualTo(Kind.INIT);
                    assertThat(earlySegments.get(1).kind()).isEqualTo(Kind.JOIN);
                    assertThat(earlySegments.stream().filter(s -> s.kind() == Kind.CONTINUATION))
                            .isNotEmpty();
                    assertThat(Arrays.equals(
                                    lateSegments.get(0).data(),
                                    earlySegments.get(0).data()))
                            .isTrue();
                }
                // the early viewer got the announcement with the codecs when the publisher's init arrived
                assertThat(early.texts().get(0))
                        .isEqualTo("{\"type\":\"stream\",\"format\":\"fmp4\",\"live\":false,\"viewers\":1}");
                assertThat(early.texts())
                        .contains("{\"type\":\"status\",\"live\":true,\"viewers\":1}")
                        .anyMatch(t ->
                                t.startsWith("{\"type\":\"stream\"") && t.contains("\"mime\":\"video/mp4; codecs="));
            } finally {
                ffmpeg.destroyForcibly();
            }
        }
    }

    @Test
    void aReconnectingPublisherReinitialisesViewersBeforeNewFragments() throws Exception {
        byte[] clip = TestMedia.fmp4Clip();
        try (LiveViewer viewer = LiveViewer.open(relay, id(), admin);
                TestPublisher first = TestPublisher.open(relay, id(), stream.secret(), "video/mp4")) {
            first.write(clip, 4096);
            await().until(() -> viewer.binaries().size() > 3);
            try (TestPublisher second = TestPublisher.open(relay, id(), stream.secret(), "video/mp4")) {
                second.write(clip, 4096);
                second.finish();
                assertThat(second.response().statusCode()).isEqualTo(200);
            }
            assertThat(first.response().statusCode()).isEqualTo(409);
            await().until(() -> viewer.texts().stream().anyMatch(t -> t.contains("\"live\":false")));

            List<Object> messages = viewer.messages();
            int announcements = 0;
            for (int i = 0; i < messages.size(); i++) {
                if (messages.get(i) instanceof String text
                        && text.startsWith("{\"type\":\"stream\"")
                        && text.contains("mime")) {
                    announcements++;
                    assertThat(messages.get(i + 1))
                            .as("after each announcement comes the init segment")
                            .isInstanceOfSatisfying(
                                    byte[].class, b -> assertThat(type(b)).isEqualTo("ftyp"));
                }
            }
            assertThat(announcements).as("one per publisher").isEqualTo(2);
            List<MediaSegment> segments = frame(viewer.bytes());
            for (int i = 0; i < segments.size(); i++) {
                if (segments.get(i).kind() == Kind.INIT) {
                    assertThat(segments.get(i + 1).kind())
                            .as("a new init is followed by a keyframe")
                            .isEqualTo(Kind.JOIN);
                }
            }
            assertThat(viewer.closed()).isFalse();
        }
    }

    @Test
    void fmp4StreamsRefuseOtherContainers() {
        byte[] tsStart = TestMedia.tsClipStart(); // refused: a body that fits the sockets' buffers
        given().header("Authorization", "Bearer " + stream.secret())
                .contentType("video/mp2t")
                .body(tsStart)
                .post("/ingest/{id}", id())
                .then()
                .statusCode(415)
                .body(containsString("video/mp4"));
        given().header("Authorization", "Bearer " + stream.secret())
                .contentType("video/mp4")
                .body(tsStart)
                .post("/ingest/{id}", id())
                .then()
                .statusCode(400)
                .body(containsString("not fragmented MP4"));
        byte[] clip = TestMedia.fmp4Clip();
        byte[] nonFragmented = Arrays.copyOfRange(clip, 0, TestMedia.indexOfBox(clip, "moov"));
        given().header("Authorization", "Bearer " + stream.secret())
                .contentType("video/mp4")
                .body(concat(nonFragmented, new byte[] {0, 0, 0, 16, 'm', 'd', 'a', 't', 1, 2, 3, 4, 5, 6, 7, 8}))
                .post("/ingest/{id}", id())
                .then()
                .statusCode(400)
                .body(containsString("frag_keyframe"));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
