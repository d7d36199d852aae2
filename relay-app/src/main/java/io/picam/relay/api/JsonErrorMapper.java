package io.picam.relay.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.picam.relay.domain.ConflictException;
import io.picam.relay.domain.ForbiddenException;
import io.picam.relay.domain.NotFoundException;
import io.picam.relay.web.DatabaseUnavailable;
import jakarta.persistence.PersistenceException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * API refusals as JSON {@code {title, status, detail}}: malformed bodies (400, saying what is wrong without a stack
 * trace or an echo of the input) and {@link ApiException}s from the resources.
 */
public class JsonErrorMapper {

    private static final Logger LOG = Logger.getLogger(JsonErrorMapper.class);

    public record ApiError(String title, int status, String detail) {}

    /** Fields that are wrong, named as in the JSON body ({@code password}, {@code scopes[1]}). */
    public record Invalid(String title, int status, String detail, List<Violation> violations) {
        static Invalid of(List<Violation> violations) {
            String detail = violations.stream()
                    .map(v -> v.field().isEmpty() ? v.message() : v.field() + ": " + v.message())
                    .collect(Collectors.joining("; "));
            return new Invalid("Invalid field", 400, detail, violations);
        }
    }

    public record Violation(String field, String message) {}

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

    /** The domain's refusals, at the edge: 404, 409 and 403 with their sentence. */
    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return Response.status(404)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError("Not Found", 404, e.getMessage()))
                .build();
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e) {
        return Response.status(409)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError("Conflict", 409, e.getMessage()))
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Response.status(403)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError("Forbidden", 403, e.getMessage()))
                .build();
    }

    @ServerExceptionMapper
    public Response refused(ApiException e) {
        return Response.status(e.status)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(e.title, e.status, e.getMessage()))
                .build();
    }

    /** PostgreSQL unreachable: 503 with Retry-After, not a 500 (see {@link DatabaseUnavailable}). */
    @ServerExceptionMapper
    public Response databaseUnavailable(PersistenceException e) {
        if (!DatabaseUnavailable.isUnreachableDatabase(e)) {
            LOG.error("API request failed", e);
            return Response.serverError()
                    .type(MediaType.APPLICATION_JSON)
                    .entity(new ApiError("Internal Server Error", 500, "the request failed; see the relay's log"))
                    .build();
        }
        return Response.status(503)
                .header("Retry-After", 30)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError("Service Unavailable", 503, DatabaseUnavailable.MESSAGE))
                .build();
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

    /**
     * Well-formed JSON with a value of the wrong kind ({@code "format":"h264"}, a number for a name) names the field;
     * anything else is malformed. Neither echoes the input nor says anything of Java.
     */
    private static Response badJson(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping
                && !(e instanceof JsonParseException)
                && !mapping.getPath().isEmpty()) {
            String message = e instanceof ValueInstantiationException && e.getCause() != null
                    ? e.getCause().getMessage()
                    : e instanceof UnrecognizedPropertyException
                            ? "is not a field of this body"
                            : "has the wrong kind of value";
            return invalid(List.of(new Violation(jsonPath(mapping.getPath()), message)));
        }
        return Response.status(400)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError("Malformed JSON", 400, "the body is not the expected JSON object"))
                .build();
    }

    /** Bean Validation on a request body: the violations with their JSON field names, not Java's paths. */
    @ServerExceptionMapper
    public Response violated(ConstraintViolationException e) {
        boolean ofResult =
                e.getConstraintViolations().stream().anyMatch(v -> kinds(v).contains(ElementKind.RETURN_VALUE));
        if (ofResult) {
            LOG.error("An API answer broke its own constraints", e);
            return Response.serverError()
                    .type(MediaType.APPLICATION_JSON)
                    .entity(new ApiError("Internal Server Error", 500, "the request failed; see the relay's log"))
                    .build();
        }
        return invalid(e.getConstraintViolations().stream()
                .map(v -> new Violation(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Violation::field))
                .toList());
    }

    private static Response invalid(List<Violation> violations) {
        return Response.status(400)
                .type(MediaType.APPLICATION_JSON)
                .entity(Invalid.of(violations))
                .build();
    }

    /** {@code create.body.scopes[1]} (method, parameter, property, element) becomes {@code scopes[1]}. */
    static String fieldOf(ConstraintViolation<?> violation) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            switch (node.getKind()) {
                case PROPERTY, BEAN -> {
                    if (node.getName() != null) {
                        field.append(field.isEmpty() ? "" : ".").append(node.getName());
                    }
                }
                case CONTAINER_ELEMENT -> {
                    if (node.getIndex() != null) {
                        field.append('[').append(node.getIndex()).append(']');
                    } else if (node.getKey() != null) {
                        field.append('[').append(node.getKey()).append(']');
                    }
                }
                default -> {
                    // the method and its parameter: Java's names, not the body's
                }
            }
        }
        return field.toString();
    }

    private static List<ElementKind> kinds(ConstraintViolation<?> violation) {
        List<ElementKind> kinds = new ArrayList<>();
        violation.getPropertyPath().forEach(n -> kinds.add(n.getKind()));
        return kinds;
    }

    private static String jsonPath(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex()).append(']');
            }
        }
        return field.toString();
    }
}
