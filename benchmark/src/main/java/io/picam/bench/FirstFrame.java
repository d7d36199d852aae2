package io.picam.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time from choosing a moment in the past to the first decodable frame's bytes, by the calls the recordings page
 * makes: the spans and the segments of the last day (together), the segment that holds the moment, then that
 * segment's bytes until its init segment and first whole fragment (moof + mdat, which starts with a keyframe) are
 * in hand.
 */
final class FirstFrame {

    /** Milliseconds: listing, first frame (listing included), the whole segment (listing included). */
    record Timing(double listMs, double firstFrameMs, double wholeSegmentMs) {}

    private static final Pattern SEGMENT =
            Pattern.compile("\\{\"id\":(\\d+),\"start\":\"([^\"]+)\",\"end\":\"([^\"]+)\"");

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final int port;
    private final String cookie;

    FirstFrame(int port, String cookie) {
        this.port = port;
        this.cookie = cookie;
    }

    Timing measure(String streamId, Instant moment) throws Exception {
        long t0 = System.nanoTime();
        Instant to = Instant.now();
        String range = "?from=" + to.minus(Duration.ofDays(1)) + "&to=" + to;
        String api = "/api/streams/" + streamId + "/recordings";
        CompletableFuture<HttpResponse<String>> spans =
                http.sendAsync(request(api + range), HttpResponse.BodyHandlers.ofString());
        CompletableFuture<HttpResponse<String>> segments =
                http.sendAsync(request(api + "/segments" + range), HttpResponse.BodyHandlers.ofString());
        if (spans.get().statusCode() != 200 || segments.get().statusCode() != 200) {
            throw new IllegalStateException("listing the recordings answered "
                    + spans.get().statusCode() + " / " + segments.get().statusCode());
        }
        long segmentId = segmentAt(segments.get().body(), moment);
        long listed = System.nanoTime();
        HttpResponse<InputStream> answer =
                http.send(request(api + "/segments/" + segmentId), HttpResponse.BodyHandlers.ofInputStream());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("segment " + segmentId + " answered " + answer.statusCode());
        }
        long firstFrame;
        try (InputStream in = answer.body()) {
            readUntilFirstFragment(in);
            firstFrame = System.nanoTime();
            in.transferTo(OutputStream.nullOutputStream());
        }
        long whole = System.nanoTime();
        return new Timing((listed - t0) / 1e6, (firstFrame - t0) / 1e6, (whole - t0) / 1e6);
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Cookie", cookie)
                .timeout(Duration.ofSeconds(60))
                .build();
    }

    /** As the page picks: the first segment that ends after the moment, else the last one. */
    static long segmentAt(String json, Instant moment) {
        Matcher m = SEGMENT.matcher(json);
        long last = -1;
        while (m.find()) {
            last = Long.parseLong(m.group(1));
            if (Instant.parse(m.group(3)).isAfter(moment)) {
                return last;
            }
        }
        if (last < 0) {
            throw new IllegalStateException("nothing recorded: " + json);
        }
        return last;
    }

    /** Reads top-level MP4 boxes until the first mdat after a moof has been read whole. */
    static void readUntilFirstFragment(InputStream in) throws IOException {
        boolean init = false;
        boolean moof = false;
        while (true) {
            byte[] header = in.readNBytes(8);
            if (header.length < 8) {
                throw new IOException("the segment ended before its first fragment");
            }
            long size = ((header[0] & 0xffL) << 24)
                    | ((header[1] & 0xff) << 16)
                    | ((header[2] & 0xff) << 8)
                    | (header[3] & 0xff);
            String type = new String(header, 4, 4, StandardCharsets.ISO_8859_1);
            long body = size - 8;
            if (size == 1) { // a 64-bit size follows
                byte[] large = in.readNBytes(8);
                long full = 0;
                for (byte b : large) {
                    full = (full << 8) | (b & 0xff);
                }
                body = full - 16;
            }
            if (body < 0) {
                throw new IOException("a " + type + " box of " + size + " bytes");
            }
            if (in.readNBytes((int) body).length < body) { // in hand, as a player has them
                throw new IOException("the segment ended inside its " + type + " box");
            }
            switch (type) {
                case "moov" -> init = true;
                case "moof" -> moof = true;
                case "mdat" -> {
                    if (init && moof) {
                        return;
                    }
                }
                default -> {}
            }
        }
    }
}
