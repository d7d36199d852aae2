package io.picam.relay.stream;

import io.picam.relay.account.AccessChanged;
import io.picam.relay.account.User;
import io.picam.relay.domain.NotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/** Creating, listing, rotating, granting and deleting streams; a secret exists in clear only in the answer to the admin. */
@ApplicationScoped
public class StreamCatalog {

    // fired inside each change's transaction: observers act once it is committed (the live side, the cluster)
    private final Event<SecretRotated> rotated;
    private final Event<StreamDeleted> deleted;
    private final Event<AccessChanged> accessChanged;

    public StreamCatalog(
            Event<SecretRotated> rotated, Event<StreamDeleted> deleted, Event<AccessChanged> accessChanged) {
        this.rotated = rotated;
        this.deleted = deleted;
        this.accessChanged = accessChanged;
    }

    /** A new stream and its publishing secret, to be shown once. */
    public record Created(StreamAccess.StreamRef stream, String secret) {}

    /** A stream as the admin API lists it: never the secret or its hash. */
    public record StreamDetails(
            String id,
            String name,
            StreamFormat format,
            Instant createdAt,
            Instant secretRotatedAt,
            List<String> viewers,
            boolean viewersMayShare) {
        static StreamDetails of(CameraStream s) {
            return new StreamDetails(
                    s.id,
                    s.name,
                    s.format,
                    s.createdAt,
                    s.secretRotatedAt,
                    s.viewers.stream()
                            .map(u -> u.username)
                            .sorted(String.CASE_INSENSITIVE_ORDER)
                            .toList(),
                    s.viewersMayShare);
        }
    }

    @Transactional
    public List<StreamDetails> list() {
        return CameraStream.listOrdered().stream().map(StreamDetails::of).toList();
    }

    /** One stream as {@link #list()} shows it; 404 for an unknown one. */
    @Transactional
    public StreamDetails details(String streamId) {
        return StreamDetails.of(find(streamId));
    }

    /** A new secret; the old one stops working when this commits. */
    @Transactional
    public String rotateSecret(String streamId) {
        CameraStream stream = find(streamId);
        String secret = StreamSecrets.newSecret();
        stream.secretHash = StreamSecrets.hash(secret);
        stream.secretRotatedAt = Instant.now();
        rotated.fire(SecretRotated.of(streamId));
        return secret;
    }

    @Transactional
    public void delete(String streamId) {
        find(streamId).delete();
        deleted.fire(StreamDeleted.of(streamId));
    }

    /** Lets the user watch the stream; true when the grant is new. */
    @Transactional
    public boolean grant(String streamId, String username) {
        CameraStream stream = find(streamId);
        User user = user(username);
        boolean added = stream.viewers.add(user);
        if (added) {
            accessChanged.fire(AccessChanged.of(user.username));
        }
        return added;
    }

    /** True when there was a grant to revoke. */
    @Transactional
    public boolean revoke(String streamId, String username) {
        CameraStream stream = find(streamId);
        User user = user(username);
        boolean removed = stream.viewers.remove(user);
        if (removed) {
            accessChanged.fire(AccessChanged.of(user.username));
        }
        return removed;
    }

    private static CameraStream find(String streamId) {
        return CameraStream.<CameraStream>findByIdOptional(streamId)
                .orElseThrow(() -> new NotFoundException("no stream " + streamId));
    }

    private static User user(String username) {
        return User.findByUsername(username).orElseThrow(() -> new NotFoundException("no user " + username));
    }

    @Transactional
    public Created create(String name, StreamFormat format) {
        String secret = StreamSecrets.newSecret();
        CameraStream stream = new CameraStream();
        stream.id = StreamSecrets.newStreamId();
        stream.name = name.strip();
        stream.format = format;
        stream.secretHash = StreamSecrets.hash(secret);
        stream.createdAt = Instant.now();
        stream.secretRotatedAt = stream.createdAt;
        stream.persist();
        return new Created(StreamAccess.StreamRef.of(stream), secret);
    }
}
