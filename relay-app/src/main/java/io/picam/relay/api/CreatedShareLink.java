package io.picam.relay.api;

import io.picam.relay.share.ShareLinks.IssuedLink;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Instant;

/** Answer to a share link's creation: the only time its token is shown. */
public record CreatedShareLink(long id, String url, String token, Instant expiresAt) {

    /** 201 with the link's absolute URL (also as {@code Location}). */
    public static Response created(IssuedLink issued, UriInfo uri) {
        // absolute, from the request as the relay sees it (X-Forwarded-* only where the proxy settings trust them)
        URI url = uri.getBaseUriBuilder().path("s").path(issued.token()).build();
        return Response.created(url)
                .entity(new CreatedShareLink(issued.id(), url.toString(), issued.token(), issued.expiresAt()))
                .build();
    }
}
