package io.picam.relay.account;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a personal access token may do, always within its owner's roles: a leaked {@code view} token of an admin
 * watches cameras but cannot touch the admin API. A login (session) may do everything its roles allow.
 */
public enum Scope {
    /** Watch and list streams ({@code /ws/streams/…}, {@code GET /api/streams}). */
    VIEW("view"),
    /** What {@code picam setup} needs: create a stream and read streams. */
    CAMERA("camera"),
    /** The whole admin API and the metrics, for an admin's scripts. */
    ADMIN("admin");

    private final String id;

    Scope(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static Scope fromId(String id) {
        return Arrays.stream(values())
                .filter(s -> s.id.equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scope '" + id + "': view, camera or admin"));
    }

    static String join(Set<Scope> scopes) {
        return scopes.stream().map(Scope::id).sorted().collect(Collectors.joining(","));
    }

    static Set<Scope> split(String scopes) {
        Set<Scope> set = EnumSet.noneOf(Scope.class);
        for (String s : scopes.split(",")) {
            if (!s.isBlank()) {
                set.add(fromId(s.trim()));
            }
        }
        return set;
    }
}
