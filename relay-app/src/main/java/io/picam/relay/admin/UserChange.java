package io.picam.relay.admin;

import io.picam.relay.account.Role;
import jakarta.validation.constraints.Size;
import java.util.Set;

/** Body of {@code PATCH /api/admin/users/{username}}: what is present changes, what is absent stays. */
public record UserChange(
        @Size(
                min = AdminValidation.PASSWORD_MIN,
                max = AdminValidation.PASSWORD_MAX,
                message = AdminValidation.PASSWORD_MESSAGE)
        String password,

        @Size(min = 1, message = "roles must not be empty: [\"viewer\"], [\"admin\"] or both")
        Set<Role> roles) {}
