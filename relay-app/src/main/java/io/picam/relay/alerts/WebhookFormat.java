package io.picam.relay.alerts;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
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

    /** Our own body: {"event":"camera.offline","at":"…","stream":{"id":"…","name":"…"}}. */
    public record JsonBody(AlertEvent event, String at, StreamRef stream) {}

    public record StreamRef(String id, String name) {}

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

    String body(AlertEvent event, Instant at, String streamId, String streamName) {
        String message = "Camera " + streamName + " " + event.sentence() + " (" + TIME.format(at) + ")";
        Object body = switch (this) {
            case JSON -> new JsonBody(event, at.toString(), new StreamRef(streamId, streamName));
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

    /** Headers of the format besides the body: ntfy reads the notification's title and tags from them. */
    Map<String, String> headers(String event) {
        if (this != NTFY) {
            return Map.of();
        }
        boolean bad = event.equals(AlertEvent.CAMERA_OFFLINE.id());
        return Map.of(
                "Title",
                "picam: " + event,
                "Tags",
                bad ? "warning,camera" : "camera",
                "Priority",
                bad ? "high" : "default");
    }
}
