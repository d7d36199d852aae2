package io.picam.relay.recording;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.picam.media.ffmpeg.FfmpegLocator;
import io.picam.relay.recording.store.RecordingStore;
import io.picam.relay.stream.StreamCatalog;
import io.picam.relay.stream.StreamFormat;
import io.picam.relay.support.Sessions;
import io.picam.relay.support.TestAccounts;
import io.picam.relay.support.TestMedia;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What recording promises, against whichever store the subclass's relay uses (the folder, or S3Proxy): real ffmpeg
 * publishers, the real index, the real store.
 */
abstract class RecordingContract {

    @TestHTTPResource("/")
    URI relay;

    @Inject
    TestAccounts accounts;

    @Inject
    RecordingIndex index;

    @Inject
    RecordingStorage storage;

    @Inject
    RecordingRetention retention;

    String admin;

    @BeforeEach
    void login() {
        admin = Sessions.admin();
    }

    StreamCatalog.Created recordedStream(StreamFormat format) {
        StreamCatalog.Created stream = accounts.newStream(format);
        Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body("{\"enabled\":true}")
                .put("/api/admin/streams/" + stream.stream().id() + "/recording")
                .then()
                .statusCode(200);
        return stream;
    }

    RecordingStore store() {
        return storage.store().orElseThrow();
    }

    static Process publish(StreamFormat format, URI relay, StreamCatalog.Created stream, int seconds, Path log)
            throws Exception {
        return format == StreamFormat.FMP4
                ? TestMedia.publishFmp4WithFfmpeg(
                        relay.getPort(), stream.stream().id(), stream.secret(), seconds, log)
                : TestMedia.publishWithFfmpeg(relay.getPort(), stream.stream().id(), stream.secret(), seconds, log);
    }

    List<Map<String, String>> spans(String id, String session) {
        return given().cookie(Sessions.COOKIE, session)
                .queryParam("from", Instant.now().minus(1, ChronoUnit.HOURS).toString())
                .queryParam("to", Instant.now().plus(1, ChronoUnit.MINUTES).toString())
                .get("/api/streams/" + id + "/recordings")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
    }

    @ParameterizedTest
    @EnumSource(StreamFormat.class)
    void aPublishedStreamIsRecordedWithoutGapsAndDownloadsAsOnePlayableClip(StreamFormat format) throws Exception {
        StreamCatalog.Created stream = recordedStream(format);
        String id = stream.stream().id();
        given().cookie(Sessions.COOKIE, admin)
                .get("/api/admin/streams")
                .then()
                .statusCode(200)
                .body("find { it.id == '" + id + "' }.recording.enabled", Matchers.is(true));

        Path log = Files.createTempFile("ffmpeg-rec", ".log");
        Process ffmpeg = publish(format, relay, stream, 12, log);
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ffmpeg.exitValue()).as(Files.readString(log)).isZero();

        // the last segment is stored once the publisher is gone; 2 s segments (test profile)
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<RecordingIndex.Segment> segments =
                    index.segments(id, Instant.now().minus(1, ChronoUnit.HOURS), Instant.now());
            return segments.size() >= 4
                    && Duration.between(
                                            segments.get(0).start(),
                                            segments.get(segments.size() - 1).end())
                                    .toMillis()
                            >= 9_000;
        });
        List<RecordingIndex.Segment> segments =
                index.segments(id, Instant.now().minus(1, ChronoUnit.HOURS), Instant.now());
        for (int i = 1; i < segments.size(); i++) {
            assertThat(segments.get(i).start())
                    .as("segment %d starts where the one before ended", i)
                    .isEqualTo(segments.get(i - 1).end());
            assertThat(Duration.between(segments.get(i).start(), segments.get(i).end()))
                    .isLessThan(Duration.ofSeconds(5));
        }
        List<Map<String, String>> spans = spans(id, admin);
        assertThat(spans).as("one span: no gap").hasSize(1);
        Instant start = Instant.parse(spans.get(0).get("start"));
        Instant end = Instant.parse(spans.get(0).get("end"));
        assertThat(start).isEqualTo(segments.get(0).start());
        assertThat(end).isEqualTo(segments.get(segments.size() - 1).end());

        // one file for the whole span, that a decoder reads without an error, as long as the span
        ExtractableResponse<Response> clip = given().cookie(Sessions.COOKIE, admin)
                .queryParam("from", start.toString())
                .queryParam("to", end.toString())
                .get("/api/streams/" + id + "/recordings/clip")
                .then()
                .extract();
        assertThat(clip.statusCode()).isEqualTo(200);
        assertThat(clip.contentType()).isEqualTo(format.contentType());
        assertThat(clip.header("Content-Disposition"))
                .startsWith("attachment; filename=\"" + id)
                .endsWith(format == StreamFormat.FMP4 ? ".mp4\"" : ".ts\"");
        Path file = Files.createTempFile("clip", format == StreamFormat.FMP4 ? ".mp4" : ".ts");
        Files.write(file, clip.asByteArray());
        double seconds = format == StreamFormat.FMP4
                ? decodedSeconds(file, null)
                : decodedSeconds(mpeg1VideoOf(file), "mpegvideo");
        double expected = Duration.between(start, end).toMillis() / 1000.0;
        assertThat(seconds).as("decoded duration of a %.1f s span", expected).isBetween(expected - 2.5, expected + 1.5);

        // a segment with a Range: 206 with exactly those bytes
        RecordingIndex.Segment first = segments.get(0);
        byte[] whole = given().cookie(Sessions.COOKIE, admin)
                .get("/api/streams/" + id + "/recordings/segments/" + first.id())
                .then()
                .statusCode(200)
                .header("Accept-Ranges", "bytes")
                .extract()
                .asByteArray();
        assertThat(whole.length).isEqualTo((int) first.bytes());
        // the clip holds every segment's media, an fMP4 init segment once: the decoded duration above allows for the
        // publisher's pace on a busy machine, so a segment missing from the clip could slip through it
        long init = format == StreamFormat.FMP4 ? TestMedia.indexOfBox(whole, "moof") : 0;
        long media = segments.stream().mapToLong(RecordingIndex.Segment::bytes).sum() - (segments.size() - 1) * init;
        assertThat(Files.size(file))
                .as("bytes of the clip of %d segments", segments.size())
                .isEqualTo(media);
        ExtractableResponse<Response> part = given().cookie(Sessions.COOKIE, admin)
                .header("Range", "bytes=100-1123")
                .get("/api/streams/" + id + "/recordings/segments/" + first.id())
                .then()
                .extract();
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.header("Content-Range")).isEqualTo("bytes 100-1123/" + first.bytes());
        assertThat(part.asByteArray()).isEqualTo(Arrays.copyOfRange(whole, 100, 1124));
        given().cookie(Sessions.COOKIE, admin)
                .header("Range", "bytes=" + first.bytes() + "-")
                .get("/api/streams/" + id + "/recordings/segments/" + first.id())
                .then()
                .statusCode(416);
    }

    @Test
    void retentionDeletesByAgeAndBySizeAndTheSweeperRemovesOrphans() {
        String id = recordedStream(StreamFormat.MPEGTS).stream().id();
        Instant now = Instant.now();
        String old1 = stored(id, now.minus(3, ChronoUnit.DAYS), 1000);
        String old2 = stored(id, now.minus(2, ChronoUnit.DAYS), 1000);
        String recent1 = stored(id, now.minus(3, ChronoUnit.HOURS), 1000);
        String recent2 = stored(id, now.minus(2, ChronoUnit.HOURS), 1000);
        String recent3 = stored(id, now.minus(1, ChronoUnit.HOURS), 1000);

        index.saveSettings(id, new RecordingIndex.Settings(true, 1, null));
        retention.run(now);
        assertThat(keysOf(id)).containsExactlyInAnyOrder(recent1, recent2, recent3);
        assertThat(rowKeys(id)).containsExactlyInAnyOrder(recent1, recent2, recent3);

        index.saveSettings(id, new RecordingIndex.Settings(true, 1, 2500L));
        retention.run(now);
        assertThat(keysOf(id)).containsExactlyInAnyOrder(recent2, recent3);
        assertThat(rowKeys(id)).containsExactlyInAnyOrder(recent2, recent3);
        assertThat(keysOf(id)).doesNotContain(old1, old2);

        // an object without a row (a crash between the two) goes once it is past the grace; a young one stays
        String orphan = id + "/x/" + now.minus(1, ChronoUnit.HOURS).toEpochMilli() + "-dead.ts";
        String young = id + "/x/" + now.minusSeconds(5).toEpochMilli() + "-busy.ts";
        put(orphan, 10);
        put(young, 10);
        assertThat(retention.run(now).orphans()).isGreaterThanOrEqualTo(1);
        assertThat(keysOf(id)).containsExactlyInAnyOrder(recent2, recent3, young);
    }

    @Test
    void whoMayNotWatchGets403AndOnlyAdminsChangeSettings() {
        String id = recordedStream(StreamFormat.MPEGTS).stream().id();
        String viewer = Sessions.login(accounts.newViewer(), TestAccounts.PASSWORD);
        given().cookie(Sessions.COOKIE, viewer)
                .get("/api/streams/" + id + "/recordings")
                .then()
                .statusCode(403);
        given().cookie(Sessions.COOKIE, viewer)
                .queryParam("from", Instant.now().minusSeconds(60).toString())
                .queryParam("to", Instant.now().toString())
                .get("/api/streams/" + id + "/recordings/clip")
                .then()
                .statusCode(403);
        given().cookie(Sessions.COOKIE, viewer)
                .get("/streams/" + id + "/recordings")
                .then()
                .statusCode(403);
        Sessions.page(viewer)
                .contentType(ContentType.JSON)
                .body("{\"enabled\":false}")
                .put("/api/admin/streams/" + id + "/recording")
                .then()
                .statusCode(403);
        given().get("/api/streams/" + id + "/recordings").then().statusCode(401);
        Sessions.page(admin)
                .contentType(ContentType.JSON)
                .body("{\"enabled\":true,\"retentionDays\":0}")
                .put("/api/admin/streams/" + id + "/recording")
                .then()
                .statusCode(400);

        // granted, the viewer gets the page and the API (the player links to the page)
        accounts.grant(id, viewerName(viewer));
        given().cookie(Sessions.COOKIE, viewer)
                .get("/api/streams/" + id + "/recordings")
                .then()
                .statusCode(200);
        given().cookie(Sessions.COOKIE, viewer)
                .get("/streams/" + id + "/recordings")
                .then()
                .statusCode(200)
                .body(Matchers.containsString("id=\"timeline\""))
                .body(Matchers.containsString("href=\"/streams/" + id + "\""));
        given().cookie(Sessions.COOKIE, viewer)
                .get("/streams/" + id)
                .then()
                .statusCode(200)
                .body(Matchers.containsString("href=\"/streams/" + id + "/recordings\""));
    }

    private static String viewerName(String session) {
        return given().cookie(Sessions.COOKIE, session)
                .get("/api/me")
                .then()
                .extract()
                .path("username");
    }

    /** A segment as the uploader leaves it: the object, then its row. */
    String stored(String streamId, Instant start, int bytes) {
        FinishedSegment segment = new FinishedSegment(
                streamId,
                StreamFormat.MPEGTS,
                start,
                start.plusSeconds(2),
                List.of(new byte[bytes]),
                bytes,
                0,
                null,
                "video/mp2t");
        String key = SegmentUploader.key(segment);
        put(key, bytes);
        index.add(segment, key);
        return key;
    }

    void put(String key, int bytes) {
        store().put(key, new ByteArrayInputStream(new byte[bytes]), bytes);
    }

    List<String> keysOf(String streamId) {
        return store().list(streamId + "/").stream()
                .map(RecordingStore.StoredObject::key)
                .toList();
    }

    List<String> rowKeys(String streamId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> RecordedSegment.<RecordedSegment>list("streamId", streamId).stream()
                        .map(s -> s.storageKey)
                        .toList());
    }

    /** Decodes the whole file, failing on the first error; the seconds decoded. */
    static double decodedSeconds(Path file, String inputFormat) throws Exception {
        Path log = Files.createTempFile("ffmpeg-decode", ".log");
        List<String> command =
                new ArrayList<>(List.of(FfmpegLocator.locate().toString(), "-nostdin", "-hide_banner", "-xerror"));
        if (inputFormat != null) {
            command.addAll(List.of("-f", inputFormat));
        }
        command.addAll(List.of("-i", file.toString(), "-f", "null", "-"));
        Process ffmpeg = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(ffmpeg.exitValue()).as(output).isZero();
        Matcher time = Pattern.compile("time=(\\d+):(\\d+):(\\d+\\.\\d+)").matcher(output);
        double seconds = -1;
        while (time.find()) {
            seconds = Integer.parseInt(time.group(1)) * 3600
                    + Integer.parseInt(time.group(2)) * 60
                    + Double.parseDouble(time.group(3));
        }
        return seconds;
    }

    /**
     * The MPEG-1 video of an MPEG-TS file, as the PES payloads of its video PID: the bundled static ffmpeg 4.4 crashes
     * in its MPEG-TS demuxer on some machines (this one), so the test demuxes and ffmpeg decodes the video itself.
     */
    static Path mpeg1VideoOf(Path ts) throws Exception {
        byte[] in = Files.readAllBytes(ts);
        assertThat(in.length % 188).as("whole TS packets").isZero();
        ByteArrayOutputStream video = new ByteArrayOutputStream();
        int videoPid = -1;
        for (int at = 0; at + 188 <= in.length; at += 188) {
            assertThat(in[at]).as("sync byte at %d", at).isEqualTo((byte) 0x47);
            int pid = ((in[at + 1] & 0x1f) << 8) | (in[at + 2] & 0xff);
            boolean unitStart = (in[at + 1] & 0x40) != 0;
            int control = (in[at + 3] >> 4) & 3;
            if ((control & 1) == 0) {
                continue; // no payload
            }
            int payload = at + 4 + ((control & 2) != 0 ? 1 + (in[at + 4] & 0xff) : 0);
            if (payload >= at + 188) {
                continue;
            }
            if (unitStart
                    && in[payload] == 0
                    && in[payload + 1] == 0
                    && in[payload + 2] == 1
                    && (in[payload + 3] & 0xf0) == 0xe0) {
                videoPid = pid;
                payload += 9 + (in[payload + 8] & 0xff); // the PES header
            } else if (pid != videoPid) {
                continue;
            }
            video.write(in, payload, at + 188 - payload);
        }
        Path out = Files.createTempFile("clip", ".m1v");
        Files.write(out, video.toByteArray());
        return out;
    }
}
