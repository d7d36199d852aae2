package io.picam.relay.stream;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.picam.relay.account.User;
import io.picam.relay.api.JsonErrorMapper.ApiException;

/** Creating, listing, rotating, granting and deleting streams; a secret exists in clear only in the answer to the admin. */
@ApplicationScoped
public class StreamCatalog {

    /** A new stream and its publishing secret, to be shown once. */
    public record Created(StreamAccess.StreamRef stream, String secret) {
    }

    /** A stream as the admin API lists it: never the secret or its hash. */
    public record StreamDetails(String id, String name, StreamFormat format, Instant createdAt, Instant secretRotatedAt,
                                List<String> viewers) {
        static StreamDetails of(CameraStream s) {
            return new StreamDetails(s.id, s.name, s.format, s.createdAt, s.secretRotatedAt,
                    s.viewers.stream().map(u -> u.username).sorted(String.CASE_INSENSITIVE_ORDER).toList());
        }
    }

    @Transactional
    public List<StreamDetails> list() {
        return CameraStream.listOrdered().stream().map(StreamDetails::of).toList();
    }

    /** A new secret; the old one stops working when this commits. */
    @Transactional
    public String rotateSecret(String streamId) {
        CameraStream stream = find(streamId);
        String secret = StreamSecrets.newSecret();
        stream.secretHash = StreamSecrets.hash(secret);
        stream.secretRotatedAt = Instant.now();
        return secret;
    }

    @Transactional
    public void delete(String streamId) {
        find(streamId).delete();
    }

    /** Lets the user watch the stream; true when the grant is new. */
    @Transactional
    public boolean grant(String streamId, String username) {
        CameraStream stream = find(streamId);
        return stream.viewers.add(user(username));
    }

    /** True when there was a grant to revoke. */
    @Transactional
    public boolean revoke(String streamId, String username) {
        CameraStream stream = find(streamId);
        return stream.viewers.remove(user(username));
    }

    private static CameraStream find(String streamId) {
        return CameraStream.<CameraStream>findByIdOptional(streamId)
                .orElseThrow(() -> ApiException.notFound("no stream " + streamId));
    }

    private static User user(String username) {
        return User.findByUsername(username).orElseThrow(() -> ApiException.notFound("no user " + username));
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
