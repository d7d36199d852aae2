package io.picam.relay.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamSecretsTest {

    @Test
    void secretsAreLongRandomAndUrlSafe() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String secret = StreamSecrets.newSecret();
            assertThat(secret).matches("[A-Za-z0-9_-]{43}"); // 256 bits
            assertThat(seen.add(secret)).isTrue();
        }
        assertThat(StreamSecrets.newStreamId()).matches("[A-Za-z0-9_-]{11}");
    }

    @Test
    void onlyTheExactSecretMatchesItsHash() {
        String secret = StreamSecrets.newSecret();
        String hash = StreamSecrets.hash(secret);
        assertThat(hash).hasSize(64).doesNotContain(secret);
        assertThat(StreamSecrets.matches(secret, hash)).isTrue();
        assertThat(StreamSecrets.matches(secret + "x", hash)).isFalse();
        assertThat(StreamSecrets.matches(secret.substring(1), hash)).isFalse();
        assertThat(StreamSecrets.matches(null, hash)).isFalse();
        assertThat(StreamSecrets.matches("", hash)).isFalse();
        assertThat(StreamSecrets.matches(secret, null)).as("unknown stream").isFalse();
        assertThat(StreamSecrets.matches("no such stream", null))
                .as("the dummy hash never matches")
                .isFalse();
    }
}
