package io.picam.client.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Ownership and mode of files, following links: a port, so that the checks on them run anywhere in tests. */
public interface FileStat {

    FileMode of(Path path) throws IOException;

    /** Where the path leads once every link is followed. */
    Path realPath(Path path) throws IOException;

    /** The real file system's {@code unix:} view (Linux). */
    static FileStat system() {
        return new FileStat() {
            @Override
            public FileMode of(Path path) throws IOException {
                Map<String, Object> a = Files.readAttributes(path, "unix:uid,gid,mode");
                return new FileMode((Integer) a.get("uid"), (Integer) a.get("gid"), (Integer) a.get("mode"));
            }

            @Override
            public Path realPath(Path path) throws IOException {
                return path.toRealPath();
            }
        };
    }
}
