package io.picam.client.setup;

import io.picam.client.config.ConfigurationException;
import io.picam.client.config.Text;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code picam.service}: {@code picam stream} as an unprivileged user, restarted whatever happens, and fenced in.
 * The client only reads its config and the camera and talks HTTP(S); the JVM writes only below {@code /tmp}, which
 * is private, so no {@code ReadWritePaths} are needed.
 *
 * <p>Left out on purpose: {@code PrivateDevices} (it hides {@code /dev/video*}, {@code /dev/media*},
 * {@code /dev/v4l-subdev*} and {@code /dev/dma_heap/*}, which rpicam-vid needs; the group {@code video} opens them),
 * {@code ProtectClock} (it implies a device allow-list, with the same effect), {@code MemoryDenyWriteExecute} (the
 * JVM's JIT writes code) and a system-call filter (the JVM and ffmpeg need too wide a set to be worth pinning).
 *
 * @param supplementaryGroups {@code video} for the camera; {@code audio} for an ALSA microphone
 */
public record ServiceUnit(
        String user, String group, List<String> supplementaryGroups, Path javaBinary, Path jar, Path config) {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    /** Nothing systemd would split, quote, expand ($, %) or read as a new line. */
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._/+-]*");

    public ServiceUnit {
        for (String name : concat(List.of(user, group), supplementaryGroups)) {
            if (!NAME.matcher(name).matches()) {
                throw new ConfigurationException("not a user or group name for the service: " + Text.printable(name));
            }
        }
        for (Path path : List.of(javaBinary, jar, config)) {
            if (!PATH.matcher(path.toString()).matches()) {
                throw new ConfigurationException("the service cannot name " + Text.printable(path.toString())
                        + ": use an absolute path of letters, digits and . _ / + -");
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    public String text() {
        return "[Unit]\n"
                + "Description=picam: stream the camera to the relay\n"
                + "Wants=network-online.target\n"
                + "After=network-online.target\n"
                + "\n"
                + "[Service]\n"
                + "User=" + user + "\n"
                + "Group=" + group + "\n"
                + "SupplementaryGroups=" + String.join(" ", supplementaryGroups) + "\n"
                + "Environment=PICAM_CONFIG=" + config + "\n"
                + "Environment=MALLOC_ARENA_MAX=" + JvmOptions.MALLOC_ARENA_MAX + "\n"
                // the launcher's options; the class data archive is mapped when the launcher made one (else skipped)
                + "ExecStart=" + javaBinary + " " + JvmOptions.DEFAULTS + " -XX:SharedArchiveFile="
                + jar.resolveSibling(JvmOptions.ARCHIVE) + " " + JvmOptions.QUIET_CDS + " -jar " + jar + " stream\n"
                + "Restart=always\n"
                + "RestartSec=5\n"
                // the JVM ends with 143 on SIGTERM: without this, every `systemctl stop` would show as a failure
                + "SuccessExitStatus=143\n"
                // journald's lines say picam[pid], not java[pid]
                + "SyslogIdentifier=picam\n"
                + "UMask=0077\n"
                + "NoNewPrivileges=yes\n"
                + "CapabilityBoundingSet=\n"
                + "ProtectSystem=strict\n"
                + "ProtectHome=yes\n"
                + "PrivateTmp=yes\n"
                + "PrivateMounts=yes\n"
                + "ProtectProc=invisible\n"
                + "ProtectKernelTunables=yes\n"
                + "ProtectKernelModules=yes\n"
                + "ProtectKernelLogs=yes\n"
                + "ProtectControlGroups=yes\n"
                + "ProtectHostname=yes\n"
                + "RestrictSUIDSGID=yes\n"
                + "LockPersonality=yes\n"
                + "RestrictRealtime=yes\n"
                + "RestrictNamespaces=yes\n"
                + "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK\n"
                + "SystemCallArchitectures=native\n"
                + "RemoveIPC=yes\n"
                + "\n"
                + "[Install]\n"
                + "WantedBy=multi-user.target\n";
    }
}
