package io.picam.relay.support;

import io.picam.relay.account.Role;
import io.picam.relay.account.User;
import io.picam.relay.stream.StreamCatalog;
import io.picam.relay.stream.StreamFormat;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Set;
import java.util.UUID;

/** Users, streams and grants straight in the database, for the parts of a test that are not under test. */
@ApplicationScoped
public class TestAccounts {

    public static final String ADMIN = "admin";
    /** Matches %test.picam.admin-password in application.properties. */
    public static final String ADMIN_PASSWORD = "test-admin-password";

    public static final String PASSWORD = "viewer-password-1";

    private final StreamCatalog catalog;

    public TestAccounts(StreamCatalog catalog) {
        this.catalog = catalog;
    }

    /** A new viewer with a unique name and {@link #PASSWORD}. */
    @Transactional
    public String newViewer() {
        String name = "viewer-" + UUID.randomUUID().toString().substring(0, 8);
        User.create(name, PASSWORD, Set.of(Role.VIEWER));
        return name;
    }

    public StreamCatalog.Created newStream(StreamFormat format) {
        return catalog.create("test " + UUID.randomUUID().toString().substring(0, 6), format);
    }

    /** As an admin grants it: the relay hears of the change (what it remembers of the user's grants is renewed). */
    public void grant(String streamId, String username) {
        catalog.grant(streamId, username);
    }
}
