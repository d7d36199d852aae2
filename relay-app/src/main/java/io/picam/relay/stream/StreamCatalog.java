package io.picam.relay.stream;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Creating streams; the secret exists in clear only in the answer to the admin who created it. */
@ApplicationScoped
public class StreamCatalog {

    /** A new stream and its publishing secret, to be shown once. */
    public record Created(StreamAccess.StreamRef stream, String secret) {
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
