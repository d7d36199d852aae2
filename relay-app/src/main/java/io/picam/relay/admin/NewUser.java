package io.picam.relay.admin;

import io.picam.relay.account.Role;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Set;

/** Body of {@code POST /api/admin/users}. */
public record NewUser(
        @NotBlank(message = "username is required")
        @Pattern(regexp = AdminValidation.USERNAME, message = AdminValidation.USERNAME_MESSAGE)
        String username,

        @NotBlank(message = "password is required")
        @Size(
                min = AdminValidation.PASSWORD_MIN,
                max = AdminValidation.PASSWORD_MAX,
                message = AdminValidation.PASSWORD_MESSAGE)
        String password,

        @NotEmpty(message = "roles is required: [\"viewer\"], [\"admin\"] or both")
        Set<Role> roles) {}
