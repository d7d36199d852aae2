package io.picam.relay.admin;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.picam.relay.stream.StreamCatalog;

/** The streams part of the admin API. */
@Path("/api/admin/streams")
@RolesAllowed("admin")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AdminStreamsResource {

    private final StreamCatalog catalog;

    public AdminStreamsResource(StreamCatalog catalog) {
        this.catalog = catalog;
    }

    @POST
    public Response create(@Valid @NotNull(message = "a JSON body {name, format} is required") NewStream body) {
        StreamCatalog.Created created = catalog.create(body.name(), body.format());
        var stream = created.stream();
        return Response.created(URI.create("/streams/" + stream.id()))
                .entity(new CreatedStream(stream.id(), stream.name(), stream.format(), created.secret()))
                .build();
    }
}
