package io.picam.relay.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Signed snapshot links against a fixed clock. */
class SnapshotLinksTest {

    private static final Instant NOW = Instant.parse("2026-12-01T03:00:00Z");
    private static final Optional<String> KEY = Optional.of("a-session-key-of-the-relay-0123456789");

    private static SnapshotLinks links(Optional<String> key, String publicUrl, Instant now) {
        return new SnapshotLinks(
                key, Optional.ofNullable(publicUrl), Duration.ofDays(1), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aLinkIsValidForItsStreamUntilItExpiresAndOnAnotherInstanceWithTheSameKey() {
        SnapshotLinks here = links(KEY, "https://relay.example/", NOW);
        URI link = URI.create(here.url("cam1").orElseThrow());
        assertThat(link.getPath()).isEqualTo("/api/streams/cam1/snapshot.jpg");
        assertThat(link.getHost()).isEqualTo("relay.example");
        String expires = param(link, "expires");
        String sig = param(link, "sig");
        assertThat(Long.parseLong(expires))
                .isEqualTo(NOW.plus(Duration.ofDays(1)).getEpochSecond());

        SnapshotLinks elsewhere = links(KEY, null, NOW.plusSeconds(3600)); // another instance, or after a restart
        assertThat(elsewhere.valid("cam1", expires, sig)).isTrue();
        assertThat(elsewhere.valid("cam2", expires, sig)).as("another stream").isFalse();
        assertThat(elsewhere.valid("cam1", String.valueOf(Long.parseLong(expires) + 1), sig))
                .as("a later expiry")
                .isFalse();
        assertThat(links(KEY, null, NOW.plus(Duration.ofDays(1)).plusSeconds(1)).valid("cam1", expires, sig))
                .as("expired")
                .isFalse();
        assertThat(links(Optional.of("another-session-key-0123456789abcdef"), null, NOW)
                        .valid("cam1", expires, sig))
                .as("another key")
                .isFalse();
    }

    @Test
    void malformedLinksAreRefusedNotThrown() {
        SnapshotLinks links = links(KEY, null, NOW);
        String query = links.query("cam1", NOW.getEpochSecond() + 60);
        String sig = query.substring(query.indexOf("&sig=") + 5);
        assertThat(links.valid("cam1", null, sig)).isFalse();
        assertThat(links.valid("cam1", String.valueOf(NOW.getEpochSecond() + 60), null))
                .isFalse();
        assertThat(links.valid("cam1", "-1", sig)).isFalse();
        assertThat(links.valid("cam1", "99999999999999999999", sig)).isFalse();
        assertThat(links.valid("cam1", String.valueOf(NOW.getEpochSecond() + 60), ""))
                .isFalse();
        assertThat(links.valid("cam1", String.valueOf(NOW.getEpochSecond() + 60), sig))
                .isTrue();
    }

    @Test
    void withoutAPublicUrlOrAKeyThereAreNoLinks() {
        assertThat(links(KEY, null, NOW).url("cam1")).isEmpty();
        assertThat(links(Optional.empty(), "https://relay.example", NOW).url("cam1"))
                .isEmpty();
        assertThat(links(Optional.empty(), null, NOW).valid("cam1", "1", "x")).isFalse();
    }

    @Test
    void aPublicUrlThatIsNoHttpAddressStopsTheRelayWithAClearMessage() {
        for (String bad : new String[] {"relay.example", "ftp://relay.example", "https://user:pw@relay.example"}) {
            assertThatThrownBy(() -> links(KEY, bad, NOW))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("PICAM_PUBLIC_URL");
        }
        assertThat(links(KEY, "http://192.168.1.5:8080", NOW).url("c").orElseThrow())
                .startsWith("http://192.168.1.5:8080/api/streams/c/snapshot.jpg?expires=");
    }

    private static String param(URI link, String name) {
        for (String pair : link.getRawQuery().split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + " in " + link);
    }
}
