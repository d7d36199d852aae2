package io.picam.relay.cluster;

import jakarta.inject.Singleton;
import java.util.concurrent.ThreadLocalRandom;

/**
 * This relay instance among the others on the same Redis: a random number drawn at startup, carried in its media
 * messages (to drop its own echo) and, as hex, in its control messages and its presence key.
 */
@Singleton
class ThisInstance {

    private final long id = ThreadLocalRandom.current().nextLong();

    long id() {
        return id;
    }

    String name() {
        return Long.toHexString(id);
    }
}
