package io.picam.relay.account;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** What a user may do: admins manage everything and watch every stream; viewers watch what they are granted. */
public enum Role {
    ADMIN("admin"),
    VIEWER("viewer");

    private final String id;

    Role(String id) {
        this.id = id;
    }

    /** The name used in the database and by Quarkus security ({@code @RolesAllowed}). */
    public String id() {
        return id;
    }

    public static Role fromId(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown role: " + id));
    }

    static String join(Set<Role> roles) {
        return roles.stream().map(Role::id).sorted().collect(Collectors.joining(","));
    }

    static Set<Role> split(String roles) {
        Set<Role> set = EnumSet.noneOf(Role.class);
        for (String r : roles.split(",")) {
            if (!r.isBlank()) {
                set.add(fromId(r.trim()));
            }
        }
        return set;
    }
}
