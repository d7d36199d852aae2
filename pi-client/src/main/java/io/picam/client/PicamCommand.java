package io.picam.client;

import java.util.concurrent.Callable;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code picam}: the Pi side of picam. The subcommands are placeholders until the Pi client issue fills them. */
@TopCommand
@Command(name = "picam", mixinStandardHelpOptions = true, version = "picam 0.1.0",
        description = "Streams a Raspberry Pi camera to a picam relay.",
        subcommands = {StreamCommand.class, PicamCommand.Setup.class, PicamCommand.Doctor.class})
public class PicamCommand {

    /** Exit code of a command this build does not have yet. */
    static final int NOT_IMPLEMENTED = 2;

    abstract static class Placeholder implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getErr().println("picam " + spec.name() + ": not implemented yet in this build");
            return NOT_IMPLEMENTED;
        }
    }

    @Command(name = "setup", description = "Create the stream on the relay and install a systemd service.")
    static class Setup extends Placeholder {
    }

    @Command(name = "doctor", description = "Check camera, encoder, relay and secret.")
    static class Doctor extends Placeholder {
    }
}
