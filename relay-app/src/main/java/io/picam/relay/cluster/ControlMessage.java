package io.picam.relay.cluster;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import java.util.List;

/**
 * What travels on {@code picam:control}, inside a {@link ControlEnvelope}: one record per kind, its wire name in
 * {@code "type"}. {@link RedisCluster} acts on the publisher, snapshot and beat kinds itself; the others (changes
 * of rights, login blocks) it fires as CDI events for {@link ClusterEvents}. A new kind is one record here.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(ControlMessage.SecretRotatedMessage.class),
    @JsonSubTypes.Type(ControlMessage.StreamDeletedMessage.class),
    @JsonSubTypes.Type(ControlMessage.AccessChangedMessage.class),
    @JsonSubTypes.Type(ControlMessage.SessionsEndedMessage.class),
    @JsonSubTypes.Type(ControlMessage.LoginBlockedMessage.class),
    @JsonSubTypes.Type(ControlMessage.ShareLinkEndedMessage.class),
    @JsonSubTypes.Type(ControlMessage.PublisherStartedMessage.class),
    @JsonSubTypes.Type(ControlMessage.SnapshotRequest.class),
    @JsonSubTypes.Type(ControlMessage.Beat.class)
})
sealed interface ControlMessage {

    /** A stream's publishing secret changed: its publisher is cut off everywhere. */
    @JsonTypeName("rotated")
    record SecretRotatedMessage(String streamId) implements ControlMessage {}

    @JsonTypeName("deleted")
    record StreamDeletedMessage(String streamId) implements ControlMessage {}

    /** What a user may watch changed. */
    @JsonTypeName("access")
    record AccessChangedMessage(String username) implements ControlMessage {}

    /** Logins or tokens of a user ended; no credentials means all of the user's. */
    @JsonTypeName("sessions")
    record SessionsEndedMessage(String username, List<String> credentials) implements ControlMessage {
        public SessionsEndedMessage {
            credentials = List.copyOf(credentials);
        }
    }

    /** A login key is refused everywhere until {@code untilMillis} (epoch millis). */
    @JsonTypeName("login-blocked")
    record LoginBlockedMessage(String key, long untilMillis) implements ControlMessage {}

    /** Share links were revoked: their sockets close everywhere. */
    @JsonTypeName("share-link-ended")
    record ShareLinkEndedMessage(List<Long> linkIds) implements ControlMessage {
        public ShareLinkEndedMessage {
            linkIds = List.copyOf(linkIds);
        }
    }

    /** A publisher connected to the sender: a remote feed of that stream elsewhere gives way. */
    @JsonTypeName("publisher")
    record PublisherStartedMessage(String streamId) implements ControlMessage {}

    /** The sender has a viewer of the stream waiting for a picture: its publisher's instance sends a snapshot. */
    @JsonTypeName("snapshot")
    record SnapshotRequest(String streamId) implements ControlMessage {}

    /** Every 2 s; only the sender acts on it (its subscription still delivers). */
    @JsonTypeName("beat")
    record Beat() implements ControlMessage {}
}
