package io.picam.relay.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void herokusFormBecomesJdbcWithTlsRequired() {
        DatabaseUrl db =
                DatabaseUrl.parse("postgres://u1abc:p%40ss:w0rd@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d9xyz", null);
        assertThat(db.jdbcUrl())
                .isEqualTo("jdbc:postgresql://ec2-1-2-3-4.compute-1.amazonaws.com:5432/d9xyz?sslmode=require");
        assertThat(db.username()).isEqualTo("u1abc");
        assertThat(db.password()).isEqualTo("p@ss:w0rd");
    }

    @Test
    void localHostsNeedNoTlsAndAnOverrideWins() {
        assertThat(DatabaseUrl.parse("postgresql://me:pw@localhost/picam", null).jdbcUrl())
                .isEqualTo("jdbc:postgresql://localhost/picam");
        assertThat(DatabaseUrl.parse("postgres://me:pw@127.0.0.1:5433/picam", null)
                        .jdbcUrl())
                .isEqualTo("jdbc:postgresql://127.0.0.1:5433/picam");
        assertThat(DatabaseUrl.parse("postgres://me:pw@db.internal/picam", "disable")
                        .jdbcUrl())
                .isEqualTo("jdbc:postgresql://db.internal/picam?sslmode=disable");
        assertThat(DatabaseUrl.parse("postgres://me:pw@db.internal/picam?sslmode=verify-full&connectTimeout=5", null)
                        .jdbcUrl())
                .isEqualTo("jdbc:postgresql://db.internal/picam?sslmode=verify-full&connectTimeout=5");
    }

    @Test
    void theEnvironmentDecidesAndJdbcVariablesComeFirst() {
        assertThat(DatabaseUrl.fromEnvironment(Map.of())).isEmpty();
        assertThat(DatabaseUrl.fromEnvironment(Map.of("DATABASE_URL", " "))).isEmpty();
        assertThat(DatabaseUrl.fromEnvironment(Map.of(
                        "JDBC_DATABASE_URL",
                        "jdbc:postgresql://h/db?sslmode=require",
                        "JDBC_DATABASE_USERNAME",
                        "u",
                        "JDBC_DATABASE_PASSWORD",
                        "p",
                        "DATABASE_URL",
                        "postgres://x:y@other/db")))
                .contains(new DatabaseUrl("jdbc:postgresql://h/db?sslmode=require", "u", "p"));
        assertThat(DatabaseUrl.fromEnvironment(
                        Map.of("DATABASE_URL", "postgres://x:y@other/db", "PICAM_DATABASE_SSLMODE", "prefer")))
                .contains(new DatabaseUrl("jdbc:postgresql://other/db?sslmode=prefer", "x", "y"));
    }

    @Test
    void badUrlsSayWhatIsExpectedWithoutEchoingThePassword() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://u:secret@h/db", null))
                .hasMessageContaining("postgres://")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://u:secret@h", null))
                .hasMessageContaining("database name")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://u:se cret@h/db", null))
                .hasMessageNotContaining("se cret");
        assertThat(DatabaseUrl.parse("postgres://u:secret@h/db", null).toString())
                .doesNotContain("secret");
    }
}
