package io.picam.relay.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Map;

/**
 * What one instance tells the others every second ({@link Presence}): the streams it publishes or has viewers
 * of, as JSON such as {@code {"streams":{"cam1":{"publishing":true,"viewers":2,"bitrate":1200000}}}}.
 */
record InstanceReport(Map<String, StreamReport> streams) {

    // lenient on fields a newer instance may add, strict on the ones this one reads
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** One stream at the reporting instance; {@code bitrate} (bits per second in) only where it is published. */
    record StreamReport(boolean publishing, int viewers, long bitrate) {}

    InstanceReport {
        streams = Map.copyOf(streams);
    }

    String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("records of strings and numbers always serialize", e);
        }
    }

    /** Throws IOException for anything that is not a report (an instance of another version, a stranger). */
    static InstanceReport parse(String json) throws IOException {
        InstanceReport report = JSON.readValue(json, InstanceReport.class);
        if (report == null) {
            throw new IOException("null is not a report");
        }
        return report;
    }
}
