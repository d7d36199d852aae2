package io.picam.client;

import io.picam.client.config.ConfigFile;
import io.picam.client.config.ConfigurationException;
import io.picam.client.config.RootRefusalException;
import io.picam.client.config.RootTrust;
import io.picam.client.encoder.EncoderSettings;
import io.picam.client.encoder.Source;
import io.picam.client.relay.RelayApi;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine.Command;

/** {@code picam doctor}: camera, encoder, relay, secret; one line each; non-zero exit if any fails. */
@Typed(DoctorCommand.class) // as a bean, not also a StreamCommand: `picam stream` must resolve to one bean
@Command(
        name = "doctor",
        description = "Check camera, encoder binary, relay and secret.",
        defaultValueProvider = ConfigFile.class,
        mixinStandardHelpOptions = true)
public class DoctorCommand extends StreamCommand {

    private boolean allOk = true;

    @Inject
    public DoctorCommand(RootTrust rootTrust) {
        super(rootTrust);
    }

    @Override
    public Integer call() {
        EncoderSettings[] settings = new EncoderSettings[1];
        RuntimeException[] settingsProblem = new RuntimeException[1];
        try {
            Verbosity.apply(quiet, verbose);
            relayBase(); // without a relay (no config file) no check means anything: one line, as any configuration
            // error
        } catch (ConfigurationException e) {
            spec.commandLine().getErr().println("picam doctor: " + e.getMessage());
            return ExitCode.CONFIGURATION;
        }
        try {
            settings[0] = settings();
        } catch (RootRefusalException e) {
            // not one failed check among others: nothing more runs as root on this configuration
            spec.commandLine().getErr().println("picam doctor: " + e.getMessage());
            return ExitCode.CONFIGURATION;
        } catch (RuntimeException e) {
            settingsProblem[0] = e;
        }
        check("encoder", () -> {
            if (settingsProblem[0] != null) {
                throw settingsProblem[0];
            }
            return encoder + ": " + firstLine(List.of(settings[0].encoderBinary(), "-version"));
        });
        check("camera", () -> camera(settings[0]));
        RelayApi api = new RelayApi(relayBase());
        check("relay", () -> {
            if (!api.reachable()) {
                throw new ConfigurationException("no answer from " + relayBase() + "/login");
            }
            return relayBase() + " answers";
        });
        check("secret", () -> {
            String contentType = "fmp4".equals(format) ? "video/mp4" : "video/mp2t";
            Optional<String> problem = api.checkSecret(ingestStream(), secret(), contentType);
            if (problem.isPresent()) {
                throw new ConfigurationException(problem.get());
            }
            return "accepted for stream " + ingestStream();
        });
        return allOk ? ExitCode.OK : ExitCode.FAILED;
    }

    private String ingestStream() {
        ingestUri(); // validates --stream
        return stream;
    }

    private void check(String what, Supplier<String> test) {
        try {
            spec.commandLine().getOut().printf("ok   %-8s %s%n", what, test.get());
        } catch (RuntimeException e) {
            allOk = false;
            spec.commandLine().getOut().printf("FAIL %-8s %s%n", what, e.getMessage());
        }
    }

    private String camera(EncoderSettings s) {
        if (s == null) {
            throw new ConfigurationException("not checked: no encoder");
        }
        if (s.source() == Source.TEST) {
            return "test pattern, no camera needed";
        }
        if (s.source() == Source.V4L2) {
            if (!Files.isReadable(Path.of(s.device()))) {
                throw new ConfigurationException("cannot read " + s.device());
            }
            return s.device();
        }
        String listed = firstLine(List.of(s.rpicamBinary(), "--list-cameras"));
        if (listed.toLowerCase().contains("no cameras")) {
            throw new ConfigurationException(
                    "rpicam sees no camera: check the ribbon cable and `rpicam-hello --list-cameras`");
        }
        return listed;
    }

    private static String firstLine(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String line;
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                line = r.readLine();
                while (r.readLine() != null) {
                    // drain
                }
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ConfigurationException(command.get(0) + " did not answer within 10 s");
            }
            return line == null ? command.get(0) : line;
        } catch (IOException e) {
            throw new ConfigurationException("cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigurationException("interrupted");
        }
    }
}
