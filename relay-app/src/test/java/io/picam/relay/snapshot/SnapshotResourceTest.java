package io.picam.relay.snapshot;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.picam.relay.stream.StreamCatalog;
import io.picam.relay.stream.StreamFormat;
import io.picam.relay.support.Sessions;
import io.picam.relay.support.TestAccounts;
import io.picam.relay.support.TestMedia;
import io.picam.relay.support.TestPublisher;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Snapshots from real ffmpeg streams, decoded by the relay's ffmpeg, read back as JPEG by the JDK. */
@QuarkusTest
class SnapshotResourceTest {

    @Inject
    TestAccounts accounts;

    @Inject
    Snapshots snapshots;

    @Inject
    SnapshotLinks links;

    @TestHTTPResource("/")
    URI relay;

    @Test
    void anMpegTsStreamGivesAJpegThatDecodesAndChangesOverTime() throws Exception {
        picturesOfALiveStream(StreamFormat.MPEGTS);
    }

    @Test
    void anFmp4StreamGivesAJpegThatDecodesAndChangesOverTime() throws Exception {
        picturesOfALiveStream(StreamFormat.FMP4);
    }

    private void picturesOfALiveStream(StreamFormat format) throws Exception {
        StreamCatalog.Created stream = accounts.newStream(format);
        String id = stream.stream().id();
        String viewer = accounts.newViewer();
        accounts.grant(id, viewer);
        String session = Sessions.login(viewer, TestAccounts.PASSWORD);
        Path log = Files.createTempFile("picam-snapshot-ffmpeg", ".log");
        Process ffmpeg = format == StreamFormat.MPEGTS
                ? TestMedia.publishWithFfmpeg(relay.getPort(), id, stream.secret(), 30, log)
                : TestMedia.publishFmp4WithFfmpeg(relay.getPort(), id, stream.secret(), 30, log);
        try {
            Response first = await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> snapshot(session, id), r -> r.statusCode() == 200);
            BufferedImage image = jpeg(first);
            assertThat(image.getWidth()).isEqualTo(320);
            assertThat(image.getHeight()).isEqualTo(240);
            assertThat(first.header("Cache-Control")).contains("private");
            assertThat(first.header("Last-Modified")).isNotBlank();
            String etag = first.header("ETag");
            assertThat(etag).isNotBlank();

            Response revalidated = given().cookie(Sessions.COOKIE, session)
                    .header("If-None-Match", etag)
                    .get("/api/streams/{id}/snapshot.jpg", id);
            if (revalidated.statusCode() != 304) { // a newer picture came in between (one a second here)
                assertThat(revalidated.statusCode()).isEqualTo(200);
                assertThat(revalidated.header("ETag")).isNotEqualTo(etag);
            }

            // the test pattern moves: a later join point gives another picture (the camera list keeps asking)
            Response later = await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> snapshot(session, id), r -> r.statusCode() == 200 && !etag.equals(r.header("ETag")));
            assertThat(differingPixels(image, jpeg(later)))
                    .as("another picture")
                    .isGreaterThan(100);

            ffmpeg.destroy();
            ffmpeg.waitFor();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> given().cookie(Sessions.COOKIE, session)
                            .get("/api/streams")
                            .jsonPath()
                            .getList("findAll { it.id == '" + id + "' }.live")
                            .equals(List.of(false)));
            Response offline = snapshot(session, id);
            assertThat(offline.statusCode())
                    .as("an offline camera keeps its last picture")
                    .isEqualTo(200);
            Instant taken = ZonedDateTime.parse(offline.header("Last-Modified"), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            assertThat(taken).isBefore(Instant.now());
            jpeg(offline);
            given().cookie(Sessions.COOKIE, session)
                    .header("If-None-Match", offline.header("ETag"))
                    .get("/api/streams/{id}/snapshot.jpg", id)
                    .then()
                    .statusCode(304); // the last picture stays
        } finally {
            ffmpeg.destroyForcibly();
        }
    }

    @Test
    void unknownStreamsAre404ForAdminsAndStreamsNotGrantedAre403() {
        StreamCatalog.Created stream = accounts.newStream(StreamFormat.MPEGTS);
        String viewer = Sessions.login(accounts.newViewer(), TestAccounts.PASSWORD);

        given().cookie(Sessions.COOKIE, Sessions.admin())
                .get("/api/streams/nope/snapshot.jpg")
                .then()
                .statusCode(404);
        given().cookie(Sessions.COOKIE, viewer)
                .get("/api/streams/{id}/snapshot.jpg", stream.stream().id())
                .then()
                .statusCode(403);
        given().get("/api/streams/{id}/snapshot.jpg", stream.stream().id())
                .then()
                .statusCode(401);
        given().cookie(Sessions.COOKIE, Sessions.admin())
                .get("/api/streams/{id}/snapshot.jpg", stream.stream().id())
                .then()
                .statusCode(204); // never live: no picture yet, and not an error a browser would log
    }

    @Test
    void aSignedLinkOpensOnlyItsStreamsSnapshotWithoutALoginUntilItExpires() {
        String id = accounts.newStream(StreamFormat.MPEGTS).stream().id();
        String other = accounts.newStream(StreamFormat.MPEGTS).stream().id();
        long inAnHour = Instant.now().plusSeconds(3600).getEpochSecond();
        String query = links.query(id, inAnHour);
        String sig = query.substring(query.indexOf("&sig=") + 5);

        given().get("/api/streams/" + id + "/snapshot.jpg?" + query)
                .then()
                .statusCode(204); // let in: never live, so no picture yet
        // one character of the signature changed
        String tampered = sig.substring(0, 5) + (sig.charAt(5) == 'A' ? 'B' : 'A') + sig.substring(6);
        forbidden("/api/streams/" + id + "/snapshot.jpg?expires=" + inAnHour + "&sig=" + tampered);
        // a later expiry with the same signature
        forbidden("/api/streams/" + id + "/snapshot.jpg?expires=" + (inAnHour + 86400) + "&sig=" + sig);
        // expired a minute ago, signed by the relay itself
        forbidden("/api/streams/" + id + "/snapshot.jpg?"
                + links.query(id, Instant.now().minusSeconds(60).getEpochSecond()));
        // another stream's snapshot with this stream's link
        forbidden("/api/streams/" + other + "/snapshot.jpg?" + query);
        // no signature at all: no credential, as without the query
        given().get("/api/streams/" + id + "/snapshot.jpg?expires=" + inAnHour)
                .then()
                .statusCode(401);
        forbidden("/api/streams/" + id + "/snapshot.jpg?expires=soon&sig=" + sig);

        // nowhere else: the link's query opens nothing but the snapshot
        given().get("/api/streams/" + id + "/recordings?" + query).then().statusCode(401);
        given().get("/api/streams?" + query).then().statusCode(401);
        given().get("/api/streams/" + id + "/snapshot.jpg").then().statusCode(401);
        given().redirects()
                .follow(false)
                .get("/streams/" + id + "?" + query)
                .then()
                .statusCode(303); // the player page still sends an anonymous visitor to the login
    }

    private static void forbidden(String pathAndQuery) {
        given().get(pathAndQuery).then().statusCode(403);
    }

    @Test
    void tenStreamsAtOnceEachGetAPictureWithinTheDecodeLimit() {
        List<String> ids = new ArrayList<>();
        List<TestPublisher> publishers = new ArrayList<>();
        byte[] clip = TestMedia.tsClip();
        try {
            for (int i = 0; i < 10; i++) {
                StreamCatalog.Created stream = accounts.newStream(StreamFormat.MPEGTS);
                ids.add(stream.stream().id());
                TestPublisher publisher =
                        TestPublisher.open(relay, stream.stream().id(), stream.secret());
                publishers.add(publisher);
                publisher.write(clip, 16 * 1024); // three GOPs; the upload stays open, the stream live
            }
            String admin = Sessions.admin();
            long[] fedAt = {System.nanoTime()};
            // generous: ten ffmpeg decodes, two at a time, on a CI machine that may be busy. The cameras go on
            // publishing meanwhile, as real ones do: a camera silent for the ingest idle timeout (20 s) would go
            // offline before a busy machine got round to its picture, and an offline camera is not decoded
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        if (System.nanoTime() - fedAt[0] > TimeUnit.SECONDS.toNanos(5)) {
                            publishers.forEach(publisher -> publisher.write(clip, 16 * 1024));
                            fedAt[0] = System.nanoTime();
                        }
                        return ids.stream()
                                .allMatch(id -> given().cookie(Sessions.COOKIE, admin)
                                                .get("/api/streams/{id}/snapshot.jpg", id)
                                                .statusCode()
                                        == 200);
                    });
            assertThat(snapshots.peakConcurrentDecodes())
                    .as("picam.snapshot.max-concurrent-decodes")
                    .isBetween(1, 2);
        } finally {
            publishers.forEach(TestPublisher::close);
        }
    }

    private static Response snapshot(String session, String id) {
        return given().cookie(Sessions.COOKIE, session).get("/api/streams/{id}/snapshot.jpg", id);
    }

    private static BufferedImage jpeg(Response response) throws IOException {
        assertThat(response.contentType()).isEqualTo("image/jpeg");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.asByteArray()));
        assertThat(image).as("a JPEG the JDK decodes").isNotNull();
        return image;
    }

    private static int differingPixels(BufferedImage a, BufferedImage b) {
        int n = 0;
        for (int y = 0; y < Math.min(a.getHeight(), b.getHeight()); y += 2) {
            for (int x = 0; x < Math.min(a.getWidth(), b.getWidth()); x += 2) {
                if (Math.abs((a.getRGB(x, y) & 0xFF) - (b.getRGB(x, y) & 0xFF)) > 24) {
                    n++;
                }
            }
        }
        return n;
    }
}
