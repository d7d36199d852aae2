package io.picam.relay.live;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The text messages of the viewer WebSocket, as the contract spells them. */
final class LiveMessages {

    private static final ObjectMapper JSON = new ObjectMapper();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Hello(String type, String format, String mime, boolean live, int viewers) {}

    record Status(String type, boolean live, int viewers) {}

    private LiveMessages() {}

    static String hello(String format, String mime, boolean live, int viewers) {
        return write(new Hello("stream", format, mime, live, viewers));
    }

    static String status(boolean live, int viewers) {
        return write(new Status("status", live, viewers));
    }

    private static String write(Object message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("records of strings and booleans always serialize", e);
        }
    }
}
