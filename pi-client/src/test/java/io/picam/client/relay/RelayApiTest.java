package io.picam.client.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.picam.client.config.ConfigurationException;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** What setup and doctor say when the relay is not there. */
class RelayApiTest {

    @Test
    void aRelayAddressWhereNothingListensIsSaidToRefuseTheConnection() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there now
        }
        RelayApi api = new RelayApi(URI.create("http://127.0.0.1:" + port));
        assertThat(api.reachable()).isFalse();
        assertThatThrownBy(() -> api.useToken("picam_pat_x"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("cannot reach the relay at http://127.0.0.1:" + port + " (connection refused)");
    }
}
