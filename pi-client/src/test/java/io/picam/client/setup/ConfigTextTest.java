package io.picam.client.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.picam.client.config.ConfigurationException;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConfigTextTest {

    @Test
    void whatIsWrittenIsReadBackExactly() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("relay", "https://relay.example.com/pre=fix#x");
        settings.put("secret-file", "C:\\odd\\but=fine");
        settings.put("size", " 1280x720");
        Properties read = new Properties();
        read.load(new StringReader(ConfigText.of(settings)));
        assertThat(read).containsExactlyInAnyOrderEntriesOf(settings);
    }

    @Test
    void aValueCannotAddALineAndSoAnotherKey() {
        Map<String, String> settings = Map.of("size", "1280x720\nencoder-binary=/tmp/evil");
        assertThatThrownBy(() -> ConfigText.of(settings))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(
                        "refusing to write size = \"1280x720\\nencoder-binary=/tmp/evil\" into the config");
        assertThatThrownBy(() -> ConfigText.of(Map.of("relay", "https://x\r")))
                .isInstanceOf(ConfigurationException.class);
    }
}
