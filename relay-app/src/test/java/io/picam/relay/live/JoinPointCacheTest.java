package io.picam.relay.live;

import static io.picam.relay.live.FakeConnection.chunk;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a newcomer is handed: the bytes since the latest join point, within the byte bound. */
class JoinPointCacheTest {

    private static final boolean JOIN = true;
    private static final boolean MORE = false;

    private static List<String> replayed(JoinPointCache cache) {
        List<String> labels = new ArrayList<>();
        cache.replay(c -> labels.add(FakeConnection.label(c)));
        return labels;
    }

    @Test
    void keepsTheBytesFromTheLatestJoinPointInOrder() {
        JoinPointCache cache = new JoinPointCache(1000);
        cache.add(chunk("J1", 100), JOIN);
        cache.add(chunk("C1", 50), MORE);
        cache.add(chunk("C2", 30), MORE);
        assertThat(replayed(cache)).containsExactly("J1", "C1", "C2");
        assertThat(cache.bytes()).isEqualTo(180);
    }

    @Test
    void bytesBeforeTheFirstJoinPointAreNotKept() {
        JoinPointCache cache = new JoinPointCache(1000);
        cache.add(chunk("C0", 50), MORE);
        cache.add(chunk("C1", 50), MORE);
        assertThat(replayed(cache)).isEmpty();
        assertThat(cache.bytes()).isZero();
        cache.add(chunk("J1", 100), JOIN);
        assertThat(replayed(cache)).containsExactly("J1");
    }

    @Test
    void aNewJoinPointDropsTheOlderGop() {
        JoinPointCache cache = new JoinPointCache(1000);
        cache.add(chunk("J1", 100), JOIN);
        cache.add(chunk("C1", 50), MORE);
        cache.add(chunk("J2", 70), JOIN);
        cache.add(chunk("C2", 20), MORE);
        assertThat(replayed(cache)).containsExactly("J2", "C2");
        assertThat(cache.bytes()).isEqualTo(90);
    }

    @Test
    void aGopThatFillsTheLimitExactlyIsKept() {
        JoinPointCache cache = new JoinPointCache(200);
        cache.add(chunk("J1", 100), JOIN);
        cache.add(chunk("C1", 100), MORE);
        assertThat(replayed(cache)).containsExactly("J1", "C1");
        assertThat(cache.bytes()).isEqualTo(200);
    }

    @Test
    void aGopLargerThanTheLimitIsDroppedWholeUntilTheNextJoinPoint() {
        JoinPointCache cache = new JoinPointCache(200);
        cache.add(chunk("J1", 100), JOIN);
        cache.add(chunk("C1", 80), MORE);
        cache.add(chunk("C2", 80), MORE); // 260 > 200: a newcomer could not start with a partial GOP's tail
        assertThat(replayed(cache))
                .as("nothing, rather than a GOP without its end")
                .isEmpty();
        assertThat(cache.bytes()).isZero();
        cache.add(chunk("C3", 10), MORE);
        assertThat(replayed(cache))
                .as("the rest of that GOP is not kept either: it starts at no join point")
                .isEmpty();
        cache.add(chunk("J2", 100), JOIN);
        cache.add(chunk("C4", 10), MORE);
        assertThat(replayed(cache)).containsExactly("J2", "C4");
        assertThat(cache.bytes()).isEqualTo(110);
    }

    @Test
    void aJoinPointLargerThanTheLimitIsNotKept() {
        JoinPointCache cache = new JoinPointCache(200);
        cache.add(chunk("J1", 100), JOIN);
        cache.add(chunk("J2", 300), JOIN);
        cache.add(chunk("C2", 10), MORE);
        assertThat(replayed(cache)).isEmpty();
        assertThat(cache.bytes()).isZero();
    }

    @Test
    void clearForgetsEverythingAndWaitsForAJoinPointAgain() {
        JoinPointCache cache = new JoinPointCache(1000);
        cache.add(chunk("J1", 100), JOIN);
        cache.add(chunk("C1", 50), MORE);
        cache.clear();
        assertThat(replayed(cache)).isEmpty();
        assertThat(cache.bytes()).isZero();
        cache.add(chunk("C2", 50), MORE);
        assertThat(replayed(cache))
                .as("a continuation after clear() belongs to a GOP the cache no longer has")
                .isEmpty();
        cache.add(chunk("J2", 100), JOIN);
        assertThat(replayed(cache)).containsExactly("J2");
    }
}
