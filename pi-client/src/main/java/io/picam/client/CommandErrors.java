package io.picam.client;

import io.picam.client.config.ConfigurationException;
import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Every error any command meets ends as one plain line on stderr, {@code picam <command>: <what to do>}, and an
 * exit status from {@link ExitCode}: never picocli's usage dump, never a stack trace (unless {@code --verbose}).
 */
public class CommandErrors {

    @Produces
    @Singleton
    CommandLine commandLine(PicocliCommandLineFactory factory) {
        return factory.create()
                .setParameterExceptionHandler(CommandErrors::badArguments)
                .setExecutionExceptionHandler(CommandErrors::failed);
    }

    private static int badArguments(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        ConfigurationException cause = configurationCause(e);
        // a config file that cannot be read surfaces here, as its defaults are read while parsing
        String message = cause != null
                ? cause.getMessage()
                : e.getMessage() + " (see  " + command.getCommandSpec().qualifiedName() + " --help)";
        command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + message);
        return ExitCode.CONFIGURATION;
    }

    private static int failed(Exception e, CommandLine command, ParseResult parsed) {
        ConfigurationException cause = configurationCause(e);
        String name = command.getCommandSpec().qualifiedName();
        if (cause != null) {
            command.getErr().println(name + ": " + cause.getMessage());
            return ExitCode.CONFIGURATION;
        }
        command.getErr()
                .println(name + ": unexpected error: " + e + (Verbosity.verbose() ? "" : " (--verbose shows where)"));
        if (Verbosity.verbose()) {
            e.printStackTrace(command.getErr());
        }
        return ExitCode.FAILED;
    }

    private static ConfigurationException configurationCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConfigurationException c) {
                return c;
            }
        }
        return null;
    }
}
