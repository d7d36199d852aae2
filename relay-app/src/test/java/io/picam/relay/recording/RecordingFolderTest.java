package io.picam.relay.recording;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Recording into the folder store (the tests' own folder under target/). */
@QuarkusTest
class RecordingFolderTest extends RecordingContract {

    @Test
    void theFolderStoreIsTheDefault() {
        assertThat(store().describe()).startsWith("folder ").contains("test-recordings");
    }
}
