package io.picam.client.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigFileTest {

    @ParameterizedTest
    @ValueSource(strings = {"rw-------", "rw-r-----", "r--r-----", "r--------"})
    void theServicesGroupMayReadASecret(String mode) throws Exception {
        Path secret = secret(mode);
        assertThatCode(() -> ConfigFile.requirePrivate(secret, "secret file")).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource({
        "rw-r--r--, is readable by other users (mode rw-r--r--)",
        "rw-----w-, is writable by other users (mode rw-----w-)",
        "rw-rw----, is writable by its group (mode rw-rw----)",
        "rw-rw-rw-, is readable by other users and writable by other users and writable by its group"
    })
    void otherUsersMayNotReadOrWriteASecretNorItsGroupWriteIt(String mode, String problem) throws Exception {
        Path secret = secret(mode);
        assertThatThrownBy(() -> ConfigFile.requirePrivate(secret, "secret file"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("secret file " + secret + " " + problem)
                .hasMessageContaining("run  chmod o-rwx,g-w " + secret);
    }

    private static Path secret(String mode) throws Exception {
        Path secret =
                Files.writeString(Files.createTempDirectory("picam-config").resolve("secret"), "s3cret\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString(mode));
        return secret;
    }
}
