package io.picam.relay.admin;

/** The limits the admin API enforces, in one place (the messages name the field). */
final class AdminValidation {

    static final String USERNAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    static final String USERNAME_MESSAGE =
            "username is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";
    static final int PASSWORD_MIN = 10;
    /** bcrypt reads at most 72 bytes. */
    static final int PASSWORD_MAX = 72;

    static final String PASSWORD_MESSAGE = "password is 10 to 72 characters";

    private AdminValidation() {}
}
