package io.picam.relay.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The configuration table in docs/CONFIGURATION.md, application.properties and {@link RelayConfig} must say the same thing:
 * every setting documented, with the same default everywhere, and under the right environment variable name.
 */
class ConfigurationTableTest {

    private static final Pattern ROW =
            Pattern.compile("^\\|\\s*`([A-Z0-9_]+)`\\s*\\|\\s*`(picam\\.[a-z0-9.-]+)`\\s*\\|\\s*(.*?)\\s*\\|");

    @Test
    void readmeTablePropertiesFileAndMappingAgree() throws IOException {
        Map<String, String> mapping = new TreeMap<>();
        walk(RelayConfig.class, "picam", mapping);

        Map<String, String> readme = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("..", "docs", "CONFIGURATION.md"), StandardCharsets.UTF_8)) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                String property = row.group(2);
                assertThat(row.group(1))
                        .as("environment variable of %s", property)
                        .isEqualTo(envName(property));
                readme.put(property, row.group(3).replace("`", "").trim());
            }
        }

        Properties file = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            file.load(in);
        }

        assertThat(readme.keySet())
                .as("settings in the table of docs/CONFIGURATION.md")
                .isEqualTo(mapping.keySet());
        mapping.forEach((property, def) -> {
            assertThat(readme.get(property))
                    .as("docs/CONFIGURATION.md default of %s", property)
                    .isEqualTo(def == null ? "unset" : def);
            if (def != null) {
                assertThat(file.getProperty(property))
                        .as("application.properties value of %s", property)
                        .isEqualTo(def);
            }
        });
    }

    /** Property names and @WithDefault values of a config mapping, as SmallRye derives them (kebab-case). */
    private static void walk(Class<?> type, String prefix, Map<String, String> out) {
        for (Method method : type.getDeclaredMethods()) {
            String name = prefix + "." + kebab(method.getName());
            Class<?> returned = method.getReturnType();
            if (returned.isInterface() && returned.getEnclosingClass() == RelayConfig.class) {
                walk(returned, name, out);
            } else {
                WithDefault def = method.getAnnotation(WithDefault.class);
                boolean optional =
                        returned == Optional.class && method.getGenericReturnType() instanceof ParameterizedType;
                out.put(name, def != null ? def.value() : optional ? null : "required");
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static String envName(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
