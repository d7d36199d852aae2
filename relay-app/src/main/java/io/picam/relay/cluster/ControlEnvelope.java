package io.picam.relay.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A control message as it is published, JSON such as {@code {"from":"1f2e…","message":{"type":"rotated",
 * "streamId":"cam1"}}}: {@code from} names the sending instance, which drops its own messages.
 */
record ControlEnvelope(String from, ControlMessage message) {

    private static final Logger LOG = Logger.getLogger(ControlEnvelope.class);
    // strict on what a message must have, lenient on fields a newer instance may add
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    Buffer toJson() {
        try {
            return Buffer.buffer(JSON.writeValueAsBytes(this));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("records of strings and numbers always serialize", e);
        }
    }

    /**
     * The envelope in {@code json}, or empty when it is not one of the known kinds with all its fields (an
     * instance of a newer version, or a bug): dropped with a debug line, never an exception.
     */
    static Optional<ControlEnvelope> parse(Buffer json) {
        try {
            return Optional.ofNullable(JSON.readValue(json.getBytes(), ControlEnvelope.class));
        } catch (IOException | RuntimeException e) {
            LOG.debugf("Ignoring a control message that is none of the known kinds: %s", e.getMessage());
            return Optional.empty();
        }
    }
}
