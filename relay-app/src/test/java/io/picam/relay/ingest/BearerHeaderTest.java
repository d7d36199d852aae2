package io.picam.relay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerHeaderTest {

    @Test
    void readsOnlyBearerTokens() {
        assertThat(IngestRoute.bearer("Bearer abc")).isEqualTo("abc");
        assertThat(IngestRoute.bearer("bearer  abc ")).isEqualTo("abc");
        assertThat(IngestRoute.bearer("Basic abc")).isNull();
        assertThat(IngestRoute.bearer("Bearer ")).isNull();
        assertThat(IngestRoute.bearer("Bearer")).isNull();
        assertThat(IngestRoute.bearer(null)).isNull();
    }
}
