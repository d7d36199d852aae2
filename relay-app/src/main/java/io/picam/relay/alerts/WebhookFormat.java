package io.picam.relay.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.picam.relay.recording.RecordingGap;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The body of a delivery: {@code json} (ours, documented in docs/ALERTS.md), {@code ntfy} (a plain-text message; its
 * title and tags go in headers, see {@link #headers}) or {@code discord} (Discord's {@code content}, and Slack's
 * {@code text}, so one format serves both).
 */
public enum WebhookFormat {
    JSON("json"),
    NTFY("ntfy"),
    DISCORD("discord");

    private static final ObjectMapper JSON_MAPPER = new ObjectMapper();
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /**
     * Our own body: {"event":"camera.offline","at":"…","stream":{"id":"…","name":"…"}}; a {@code recording.gap} adds
     * {"gap":{"start":"…","end":"…"}}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JsonBody(AlertEvent event, String at, StreamRef stream, Gap gap) {}

    public record StreamRef(String id, String name) {}

    /** The stretch a recording misses, as ISO-8601 instants. */
    public record Gap(String start, String end) {}

    record ChatBody(String content, String text) {}

    private final String id;

    WebhookFormat(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    public static Optional<WebhookFormat> of(String id) {
        return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst();
    }

    String contentType() {
        return this == NTFY ? "text/plain; charset=utf-8" : "application/json";
    }

    /** The body of one event; {@code gap} only for {@code recording.gap} (start and end), else null. */
    String body(AlertEvent event, Instant at, String streamId, String streamName, RecordingGap gap) {
        String message = gap == null
                ? "Camera " + streamName + " " + event.sentence() + " (" + TIME.format(at) + ")"
                : "Camera " + streamName + " was not recorded from " + TIME.format(gap.start()) + " to "
                        + TIME.format(gap.end()) + ": the recordings store did not keep up";
        Object body = switch (this) {
            case JSON ->
                new JsonBody(
                        event,
                        at.toString(),
                        new StreamRef(streamId, streamName),
                        gap == null
                                ? null
                                : new Gap(gap.start().toString(), gap.end().toString()));
            case DISCORD -> new ChatBody(message, message);
            case NTFY -> null;
        };
        if (body == null) {
            return message;
        }
        try {
            return JSON_MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a webhook body is plain data", e);
        }
    }

    /**
     * Headers of the format besides the body: ntfy reads the notification's title, tags and priority from them, and
     * with a public URL the picture to attach ({@code Attach}, a signed snapshot link) and the page a tap opens
     * ({@code Click}, the player).
     */
    Map<String, String> headers(String event, Optional<String> attach, Optional<String> click) {
        if (this != NTFY) {
            return Map.of();
        }
        boolean bad = event.equals(AlertEvent.CAMERA_OFFLINE.id()) || event.equals(AlertEvent.RECORDING_GAP.id());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Title", "picam: " + event);
        headers.put("Tags", bad ? "warning,camera" : "camera");
        headers.put("Priority", bad ? "high" : "default");
        attach.ifPresent(url -> headers.put("Attach", url));
        click.ifPresent(url -> headers.put("Click", url));
        return headers;
    }
}
