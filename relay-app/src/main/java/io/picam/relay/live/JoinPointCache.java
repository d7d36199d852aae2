package io.picam.relay.live;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The bytes since the latest join point, so that a viewer who joins gets a decodable picture at once
 * instead of waiting up to a GOP. Bounded: a GOP larger than the limit is dropped until the next join
 * point (a joiner then waits for it, as without a cache). Not thread-safe; the hub guards it.
 */
final class JoinPointCache {

    private final long limit;
    private final List<MediaFrame> chunks = new ArrayList<>();
    private long bytes;

    JoinPointCache(long limit) {
        this.limit = limit;
    }

    void add(MediaFrame chunk, boolean joinPoint) {
        if (joinPoint) {
            clear();
        } else if (chunks.isEmpty()) {
            return; // no join point seen yet: these bytes are useless to a newcomer
        }
        if (bytes + chunk.length() > limit) {
            clear();
            return;
        }
        chunks.add(chunk);
        bytes += chunk.length();
    }

    /** Hands every cached chunk, oldest first; the first one starts at a join point. */
    void replay(Consumer<MediaFrame> to) {
        chunks.forEach(to);
    }

    void clear() {
        chunks.clear();
        bytes = 0;
    }

    long bytes() {
        return bytes;
    }
}
