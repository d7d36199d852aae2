package io.picam.relay.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

/** Malformed JSON bodies: a 400 that says what is wrong, without a stack trace or an echo of the input. */
public class JsonErrorMapper {

    public record ApiError(String title, int status, String detail) {
    }

    @ServerExceptionMapper
    public Response malformed(JsonProcessingException e) {
        return badJson(e);
    }

    /** Quarkus REST wraps body-reading failures; unwrap the JSON ones, leave the rest as they are. */
    @ServerExceptionMapper
    public Response wrapped(WebApplicationException e) {
        Throwable cause = e.getCause();
        if (e.getResponse().getStatus() == 400 && cause instanceof JsonProcessingException json) {
            return badJson(json);
        }
        return e.getResponse();
    }

    private static Response badJson(JsonProcessingException e) {
        String detail = e instanceof ValueInstantiationException && e.getCause() != null
                ? e.getCause().getMessage()
                : "the body is not the expected JSON object";
        return Response.status(400).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError("Malformed JSON", 400, detail)).build();
    }
}
