package io.picam.relay.alerts;

import io.picam.relay.api.JsonErrorMapper.ApiException;
import io.picam.relay.audit.AdminAudit;
import io.picam.relay.audit.AuditLog.Action;
import io.picam.relay.config.RelayConfig;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Webhooks for alerts (admins): where the relay POSTs {@code camera.offline} and the other events, and what it sent. */
@Path("/api/admin/webhooks")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(
        name = "webhooks",
        description = "Alerts: signed POSTs when a camera goes offline, comes back or gets a new secret")
public class WebhooksResource {

    /** POST body; {@code format} defaults to json. */
    public record NewWebhook(String url, List<String> events, String format) {}

    private final WebhookStore store;
    private final WebhookTargets targets;
    private final AdminAudit audit;

    public WebhooksResource(WebhookStore store, AdminAudit audit, RelayConfig config) {
        this.store = store;
        this.audit = audit;
        this.targets = new WebhookTargets(config.webhooks().allowPrivate());
    }

    @GET
    @Operation(summary = "Every webhook (never its secret)")
    public List<WebhookStore.Webhook> list() {
        return store.list();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a webhook: 201 with its signing secret, shown this once")
    public Response create(NewWebhook body) {
        if (body == null) {
            throw invalid("a JSON body {url, events, format?} is required");
        }
        URI url;
        try {
            url = targets.check(body.url());
        } catch (WebhookTargets.Refused e) {
            throw invalid(e.getMessage());
        }
        if (body.url().length() > 2000) {
            throw invalid("url: at most 2000 characters");
        }
        if (body.events() == null || body.events().isEmpty()) {
            throw invalid("events: name at least one of " + known());
        }
        List<AlertEvent> events = new ArrayList<>();
        for (String name : body.events()) {
            AlertEvent event = AlertEvent.of(name)
                    .orElseThrow(() -> invalid("events: unknown event " + name + "; known: " + known()));
            if (!events.contains(event)) {
                events.add(event);
            }
        }
        WebhookFormat format = body.format() == null
                ? WebhookFormat.JSON
                : WebhookFormat.of(body.format()).orElseThrow(() -> invalid("format: json, ntfy or discord"));
        WebhookStore.CreatedWebhook created = store.create(url.toString(), events, format, audit.actor());
        audit.record(
                Action.WEBHOOK_CREATED,
                "webhook " + created.id(),
                url.getHost() + " "
                        + String.join(",", events.stream().map(AlertEvent::id).toList()));
        return Response.status(201).entity(created).build();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Remove a webhook and its delivery log")
    public Response delete(@PathParam("id") long id) {
        String url = store.delete(id).orElseThrow(() -> ApiException.notFound("no webhook " + id));
        audit.record(Action.WEBHOOK_DELETED, "webhook " + id, URI.create(url).getHost());
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/deliveries")
    @Operation(summary = "The latest 50 deliveries to the webhook, newest first")
    public List<WebhookStore.Delivery> deliveries(@PathParam("id") long id) {
        if (!store.exists(id)) {
            throw ApiException.notFound("no webhook " + id);
        }
        return store.deliveries(id, 50);
    }

    private static ApiException invalid(String detail) {
        return new ApiException(400, "Invalid field", detail);
    }

    private static String known() {
        return String.join(
                ", ", Arrays.stream(AlertEvent.values()).map(AlertEvent::id).toList());
    }
}
