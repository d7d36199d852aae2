package io.picam.relay.stream;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.picam.relay.account.Role;
import io.picam.relay.account.User;
import io.quarkus.security.identity.SecurityIdentity;

/** Who may watch or publish which stream. Every method is blocking (JDBC). */
@ApplicationScoped
public class StreamAccess {

    /** What the live side needs to know of a stream, detached from the persistence context. */
    public record StreamRef(String id, String name, StreamFormat format) {
        public static StreamRef of(CameraStream s) {
            return new StreamRef(s.id, s.name, s.format);
        }
    }

    public enum Decision { ALLOWED, FORBIDDEN, UNKNOWN }

    @Transactional
    public List<StreamRef> visibleTo(SecurityIdentity identity) {
        List<CameraStream> streams = identity.hasRole(Role.ADMIN.id())
                ? CameraStream.listOrdered()
                : userId(identity).map(CameraStream::grantedTo).orElse(List.of());
        return streams.stream().map(StreamRef::of).toList();
    }

    /** Whether this logged-in identity may watch the stream; unknown streams are only told apart for admins. */
    @Transactional
    public Decision mayWatch(SecurityIdentity identity, String streamId) {
        Optional<CameraStream> stream = CameraStream.findByIdOptional(streamId);
        boolean admin = identity.hasRole(Role.ADMIN.id());
        if (stream.isEmpty()) {
            return admin ? Decision.UNKNOWN : Decision.FORBIDDEN;
        }
        if (admin) {
            return Decision.ALLOWED;
        }
        boolean granted = userId(identity).map(id -> CameraStream.isGranted(streamId, id)).orElse(false);
        return granted ? Decision.ALLOWED : Decision.FORBIDDEN;
    }

    /** Whether this user (by name) may watch the stream now: after a grant, role or user change. */
    @Transactional
    public boolean mayWatch(String username, String streamId) {
        Optional<User> user = User.findByUsername(username);
        if (user.isEmpty() || CameraStream.findById(streamId) == null) {
            return false;
        }
        return user.get().roleSet().contains(Role.ADMIN) || CameraStream.isGranted(streamId, user.get().id);
    }

    @Transactional
    public Optional<StreamRef> find(String streamId) {
        return CameraStream.<CameraStream>findByIdOptional(streamId).map(StreamRef::of);
    }

    /** The stream when the presented secret is its current one; empty for unknown stream and wrong secret alike. */
    @Transactional
    public Optional<StreamRef> authenticatePublisher(String streamId, String presentedSecret) {
        Optional<CameraStream> stream = streamId == null ? Optional.empty() : CameraStream.findByIdOptional(streamId);
        boolean ok = StreamSecrets.matches(presentedSecret, stream.map(s -> s.secretHash).orElse(null));
        return ok ? stream.map(StreamRef::of) : Optional.empty();
    }

    private static Optional<Long> userId(SecurityIdentity identity) {
        return User.findByUsername(identity.getPrincipal().getName()).map(u -> u.id);
    }
}
