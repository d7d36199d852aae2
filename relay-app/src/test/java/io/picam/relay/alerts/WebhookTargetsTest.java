package io.picam.relay.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class WebhookTargetsTest {

    @Test
    void loopbackPrivateAndLinkLocalTargetsAreRefusedByDefault() {
        WebhookTargets targets = new WebhookTargets(false, WebhookTargetsTest::literal);
        for (String host : new String[] {
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.9",
            "192.168.1.20",
            "100.64.0.1",
            "[::1]",
            "[fd12:3456::1]",
            "169.254.169.254",
            "[fe80::1]",
            "0.0.0.0",
            "224.0.0.1"
        }) {
            assertThatThrownBy(() -> targets.check("http://" + host + "/hook"))
                    .as(host)
                    .isInstanceOf(WebhookTargets.Refused.class);
        }
    }

    @Test
    void privateTargetsWhenAllowedButLinkLocalNever() throws Exception {
        WebhookTargets targets = new WebhookTargets(true, WebhookTargetsTest::literal);
        assertThat(targets.check("http://192.168.1.20:8123/api/webhook/picam").getHost())
                .isEqualTo("192.168.1.20");
        assertThat(targets.check("http://127.0.0.1:9/").getPort()).isEqualTo(9);
        assertThatThrownBy(() -> targets.check("http://169.254.169.254/")).hasMessageContaining("link-local");
    }

    @Test
    void aNameIsRefusedWhenAnyOfItsAddressesIsPrivate() throws Exception {
        WebhookTargets targets = new WebhookTargets(
                false,
                host -> host.equals("rebind.example")
                        ? new InetAddress[] {InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.0.0.1")}
                        : new InetAddress[] {InetAddress.getByName("93.184.216.34")});
        assertThat(targets.check("https://ntfy.example/picam").getHost()).isEqualTo("ntfy.example");
        assertThatThrownBy(() -> targets.check("https://rebind.example/"))
                .hasMessageContaining("10.0.0.1")
                .hasMessageContaining("PICAM_WEBHOOKS_ALLOW_PRIVATE");
    }

    @Test
    void notAnHttpUrlOrWithCredentialsOrUnresolvableIsRefused() {
        WebhookTargets targets = new WebhookTargets(true, host -> {
            throw new UnknownHostException(host);
        });
        assertThatThrownBy(() -> targets.check("file:///etc/passwd")).hasMessageContaining("http");
        assertThatThrownBy(() -> targets.check("http://user:pw@example.com/")).hasMessageContaining("password");
        assertThatThrownBy(() -> targets.check("http://nowhere.invalid/")).hasMessageContaining("does not resolve");
        assertThatThrownBy(() -> targets.check(null)).isInstanceOf(WebhookTargets.Refused.class);
    }

    private static InetAddress[] literal(String host) throws UnknownHostException {
        return new InetAddress[] {InetAddress.getByName(host)}; // IP literals only: no DNS in a unit test
    }
}
