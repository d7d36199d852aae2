package io.picam.relay.api;

import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import io.picam.relay.web.DatabaseUnavailable;

/**
 * API refusals as JSON {@code {title, status, detail}}: malformed bodies (400, saying what is wrong without a stack
 * trace or an echo of the input) and {@link ApiException}s from the resources.
 */
public class JsonErrorMapper {

    private static final Logger LOG = Logger.getLogger(JsonErrorMapper.class);

    public record ApiError(String title, int status, String detail) {
    }

    /** A refusal with its status and a sentence saying why (404 unknown, 409 duplicate or conflict). */
    public static class ApiException extends RuntimeException {
        private final int status;
        private final String title;

        public ApiException(int status, String title, String detail) {
            super(detail, null, false, false);
            this.status = status;
            this.title = title;
        }

        public static ApiException notFound(String detail) {
            return new ApiException(404, "Not Found", detail);
        }

        public static ApiException conflict(String detail) {
            return new ApiException(409, "Conflict", detail);
        }
    }

    @ServerExceptionMapper
    public Response refused(ApiException e) {
        return Response.status(e.status).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(e.title, e.status, e.getMessage())).build();
    }

    /** PostgreSQL unreachable: 503 with Retry-After, not a 500 (see {@link DatabaseUnavailable}). */
    @ServerExceptionMapper
    public Response databaseUnavailable(PersistenceException e) {
        if (!DatabaseUnavailable.isUnreachableDatabase(e)) {
            LOG.error("API request failed", e);
            return Response.serverError().type(MediaType.APPLICATION_JSON)
                    .entity(new ApiError("Internal Server Error", 500, "the request failed; see the relay's log")).build();
        }
        return Response.status(503).header("Retry-After", 30).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError("Service Unavailable", 503, DatabaseUnavailable.MESSAGE)).build();
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
