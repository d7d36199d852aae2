package io.picam.relay.cluster;

import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import org.jboss.logging.Logger;

import io.picam.relay.account.AccessChanged;
import io.picam.relay.account.CredentialsEnded;
import io.picam.relay.security.LoginBlocked;
import io.picam.relay.stream.SecretRotated;
import io.picam.relay.stream.StreamDeleted;

/**
 * The domain events every instance must see, carried on the control channel: one made here is published once
 * committed; one received is fired again here with {@code remote} set, so that the same observers act on every
 * instance and no class needs a "here only" twin. A new cross-instance change is one record, one case here.
 */
@ApplicationScoped
class ClusterEvents {

    private static final Logger LOG = Logger.getLogger(ClusterEvents.class);

    private final ControlChannel channel;
    private final Event<SecretRotated> rotated;
    private final Event<StreamDeleted> deleted;
    private final Event<AccessChanged> accessChanged;
    private final Event<CredentialsEnded> credentialsEnded;
    private final Event<LoginBlocked> loginBlocked;

    ClusterEvents(ControlChannel channel, Event<SecretRotated> rotated, Event<StreamDeleted> deleted,
                  Event<AccessChanged> accessChanged, Event<CredentialsEnded> credentialsEnded,
                  Event<LoginBlocked> loginBlocked) {
        this.channel = channel;
        this.rotated = rotated;
        this.deleted = deleted;
        this.accessChanged = accessChanged;
        this.credentialsEnded = credentialsEnded;
        this.loginBlocked = loginBlocked;
    }

    // ---- made here: tell the others (a remote one came from them) ----

    void secretRotated(@Observes(during = TransactionPhase.AFTER_SUCCESS) SecretRotated event) {
        if (!event.remote()) {
            channel.send(Map.of("t", "rotated", "s", event.streamId()));
        }
    }

    void streamDeleted(@Observes(during = TransactionPhase.AFTER_SUCCESS) StreamDeleted event) {
        if (!event.remote()) {
            channel.send(Map.of("t", "deleted", "s", event.streamId()));
        }
    }

    void accessChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) AccessChanged event) {
        if (!event.remote()) {
            channel.send(Map.of("t", "access", "u", event.username()));
        }
    }

    void credentialsEnded(@Observes(during = TransactionPhase.AFTER_SUCCESS) CredentialsEnded event) {
        if (!event.remote()) {
            channel.send(Map.of("t", "sessions", "u", event.username(), "c", String.join(",", event.credentials())));
        }
    }

    void loginBlocked(@Observes LoginBlocked event) {
        if (!event.remote()) {
            channel.send(Map.of("t", "login-blocked", "k", event.key(), "until", Long.toString(event.untilMillis())));
        }
    }

    // ---- made elsewhere: the same event here ----

    void received(@Observes ControlMessage message) {
        switch (message.type()) {
            case "rotated" -> rotated.fire(new SecretRotated(message.get("s"), true));
            case "deleted" -> deleted.fire(new StreamDeleted(message.get("s"), true));
            case "access" -> accessChanged.fire(new AccessChanged(message.get("u"), true));
            case "sessions" -> {
                String ended = message.fields().getOrDefault("c", "");
                Set<String> credentials = ended.isEmpty() ? Set.of() : Set.of(ended.split(","));
                credentialsEnded.fire(new CredentialsEnded(message.get("u"), credentials, true));
            }
            case "login-blocked" -> loginBlocked.fire(new LoginBlocked(message.get("k"), Long.parseLong(message.get("until")), true));
            default -> LOG.debugf("Ignoring control message %s", message.type());
        }
    }
}
