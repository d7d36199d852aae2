package io.picam.relay.web;

import io.picam.relay.api.JsonErrorMapper.ApiError;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** An unknown address: our own page for people, a JSON error for the API. */
public class NotFoundPage {

    private final SecurityIdentity identity;

    public NotFoundPage(SecurityIdentity identity) {
        this.identity = identity;
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri, HttpHeaders headers) {
        String path = uri.getPath();
        boolean wantsHtml = headers.getAcceptableMediaTypes().stream()
                .anyMatch(t -> t.isCompatible(MediaType.TEXT_HTML_TYPE) && !t.isWildcardType());
        if (path.startsWith("/api/") || !wantsHtml) {
            return Response.status(404)
                    .type(MediaType.APPLICATION_JSON)
                    .entity(new ApiError("Not Found", 404, "nothing at this address"))
                    .build();
        }
        String username =
                identity.isAnonymous() ? null : identity.getPrincipal().getName();
        return Response.status(404)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(PageResource.Templates.refused(
                                username,
                                404,
                                "Page not found",
                                "There is nothing at this address. It may have moved, or the link is mistyped.")
                        .render())
                .build();
    }
}
