package io.picam.client;

/** What {@code picam}'s exit status means (the README's table). */
final class ExitCode {

    /** done; or {@code stream} ended by SIGTERM / SIGINT */
    static final int OK = 0;
    /** {@code doctor}: a check failed; any command: an unexpected error (one line; {@code --verbose} shows more) */
    static final int FAILED = 1;
    /** a setting cannot work, an unknown option, or a refusal (a wrong secret for {@code setup}, a root refusal) */
    static final int CONFIGURATION = 2;

    private ExitCode() {}
}
