package io.picam.relay.account;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
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

    /** The name used in the database, in JSON and by Quarkus security ({@code @RolesAllowed}). */
    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static Role fromId(String id) {
        return Arrays.stream(values())
                .filter(r -> r.id.equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown role " + quoted(id) + ": admin or viewer"));
    }

    private static String quoted(String s) {
        return s == null ? "null" : "'" + (s.length() > 20 ? s.substring(0, 20) + "…" : s) + "'";
    }

    /** "admin,viewer", for messages and the audit log. */
    public static String describe(Set<Role> roles) {
        return join(roles);
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
