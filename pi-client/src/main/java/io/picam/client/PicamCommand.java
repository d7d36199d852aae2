package io.picam.client;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

/** {@code picam}: the Pi side of picam. */
@TopCommand
@Command(
        name = "picam",
        mixinStandardHelpOptions = true,
        version = "picam 0.1.0",
        description = "Streams a Raspberry Pi camera to a picam relay.",
        subcommands = {StreamCommand.class, SetupCommand.class, DoctorCommand.class})
public class PicamCommand {}
