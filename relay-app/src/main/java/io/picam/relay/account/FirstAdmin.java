package io.picam.relay.account;

import io.picam.relay.config.RelayConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.jboss.logging.Logger;

/** On the very first start (no users at all) creates {@code admin}, so a fresh install can be logged into. */
@ApplicationScoped
public class FirstAdmin {

    static final String USERNAME = "admin";
    private static final Logger LOG = Logger.getLogger(FirstAdmin.class);

    private final RelayConfig config;

    public FirstAdmin(RelayConfig config) {
        this.config = config;
    }

    @Transactional
    void onStart(@Observes StartupEvent event) {
        if (User.count() > 0) {
            return;
        }
        var configured = config.adminPassword().filter(p -> !p.isBlank());
        String password = configured.orElseGet(FirstAdmin::randomPassword);
        User.create(USERNAME, password, Set.of(Role.ADMIN));
        if (configured.isPresent()) {
            LOG.infof("Created user '%s' with the password from PICAM_ADMIN_PASSWORD", USERNAME);
            if (password.length() < 10) {
                LOG.warnf("PICAM_ADMIN_PASSWORD is shorter than 10 characters; change it on the admin page");
            }
        } else {
            // Printed once, on purpose: it is the only way into a fresh install without configuration.
            LOG.infof(
                    "Created user '%s' with the generated password %s (shown only now; set PICAM_ADMIN_PASSWORD to choose it)",
                    USERNAME, password);
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
