package io.picam.relay.cluster;

import io.picam.relay.account.AccessChanged;
import io.picam.relay.account.CredentialsEnded;
import io.picam.relay.cluster.ControlMessage.AccessChangedMessage;
import io.picam.relay.cluster.ControlMessage.LoginBlockedMessage;
import io.picam.relay.cluster.ControlMessage.SecretRotatedMessage;
import io.picam.relay.cluster.ControlMessage.SessionsEndedMessage;
import io.picam.relay.cluster.ControlMessage.ShareLinkEndedMessage;
import io.picam.relay.cluster.ControlMessage.StreamDeletedMessage;
import io.picam.relay.security.LoginBlocked;
import io.picam.relay.share.ShareLinkEnded;
import io.picam.relay.stream.SecretRotated;
import io.picam.relay.stream.StreamDeleted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.Set;
import org.jboss.logging.Logger;

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
    private final Event<ShareLinkEnded> shareLinkEnded;

    ClusterEvents(
            ControlChannel channel,
            Event<SecretRotated> rotated,
            Event<StreamDeleted> deleted,
            Event<AccessChanged> accessChanged,
            Event<CredentialsEnded> credentialsEnded,
            Event<LoginBlocked> loginBlocked,
            Event<ShareLinkEnded> shareLinkEnded) {
        this.channel = channel;
        this.rotated = rotated;
        this.deleted = deleted;
        this.accessChanged = accessChanged;
        this.credentialsEnded = credentialsEnded;
        this.loginBlocked = loginBlocked;
        this.shareLinkEnded = shareLinkEnded;
    }

    // ---- made here: tell the others (a remote one came from them) ----

    void secretRotated(@Observes(during = TransactionPhase.AFTER_SUCCESS) SecretRotated event) {
        if (!event.remote()) {
            channel.send(new SecretRotatedMessage(event.streamId()));
        }
    }

    void streamDeleted(@Observes(during = TransactionPhase.AFTER_SUCCESS) StreamDeleted event) {
        if (!event.remote()) {
            channel.send(new StreamDeletedMessage(event.streamId()));
        }
    }

    void accessChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) AccessChanged event) {
        if (!event.remote()) {
            channel.send(new AccessChangedMessage(event.username()));
        }
    }

    void credentialsEnded(@Observes(during = TransactionPhase.AFTER_SUCCESS) CredentialsEnded event) {
        if (!event.remote()) {
            channel.send(new SessionsEndedMessage(
                    event.username(), event.credentials().stream().sorted().toList()));
        }
    }

    void loginBlocked(@Observes LoginBlocked event) {
        if (!event.remote()) {
            channel.send(new LoginBlockedMessage(event.key(), event.untilMillis()));
        }
    }

    void shareLinkEnded(@Observes(during = TransactionPhase.AFTER_SUCCESS) ShareLinkEnded event) {
        if (!event.remote()) {
            channel.send(
                    new ShareLinkEndedMessage(event.linkIds().stream().sorted().toList()));
        }
    }

    // ---- made elsewhere: the same event here ----

    void received(@Observes ControlMessage message) {
        if (message instanceof SecretRotatedMessage m) {
            rotated.fire(new SecretRotated(m.streamId(), true));
        } else if (message instanceof StreamDeletedMessage m) {
            deleted.fire(new StreamDeleted(m.streamId(), true));
        } else if (message instanceof AccessChangedMessage m) {
            accessChanged.fire(new AccessChanged(m.username(), true));
        } else if (message instanceof SessionsEndedMessage m) {
            credentialsEnded.fire(new CredentialsEnded(m.username(), Set.copyOf(m.credentials()), true));
        } else if (message instanceof ShareLinkEndedMessage m) {
            shareLinkEnded.fire(new ShareLinkEnded(Set.copyOf(m.linkIds()), true));
        } else if (message instanceof LoginBlockedMessage m) {
            loginBlocked.fire(new LoginBlocked(m.key(), m.untilMillis(), true));
        } else {
            LOG.debugf("Ignoring a %s", message.getClass().getSimpleName()); // RedisCluster's own kinds
        }
    }
}
