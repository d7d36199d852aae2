package io.picam.relay.recording.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Recordings in a folder of the relay's own disk (a Pi, a host, a Docker volume). Below {@code minFree} bytes free
 * on that disk it refuses to write, so that recording never fills the disk the relay and its database live on;
 * retention then deletes the oldest segments first. Objects are written to a temporary name and moved into place,
 * so a crash never leaves half a segment under a real key.
 */
public final class FolderStore implements RecordingStore {

    private final Path root;
    private final long minFree;

    public FolderStore(Path root, long minFree) {
        this.root = root.toAbsolutePath().normalize();
        this.minFree = minFree;
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the recordings folder " + this.root, e);
        }
    }

    @Override
    public void put(String key, InputStream data, long length) {
        if (belowFloor()) {
            throw new StoreException("less than " + minFree + " bytes free under " + root + ": not writing");
        }
        Path target = resolve(key);
        try {
            Files.createDirectories(target.getParent());
            Path partial = target.resolveSibling(target.getFileName() + ".partial");
            Files.copy(data, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StoreException("cannot write " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        try {
            SeekableByteChannel channel = Files.newByteChannel(resolve(key));
            channel.position(offset);
            InputStream in = Channels.newInputStream(channel);
            return length < 0 ? in : new BoundedInputStream(in, length);
        } catch (NoSuchFileException e) {
            throw new StoreException("no object " + key, e);
        } catch (IOException e) {
            throw new StoreException("cannot read " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(resolve(key));
        } catch (IOException e) {
            throw new StoreException("cannot delete " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<StoredObject> list(String prefix) {
        List<StoredObject> found = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return found;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile).forEach(file -> {
                String key = root.relativize(file)
                        .toString()
                        .replace(file.getFileSystem().getSeparator(), "/");
                if (key.startsWith(prefix) && !key.endsWith(".partial")) {
                    try {
                        found.add(new StoredObject(key, Files.size(file)));
                    } catch (IOException e) {
                        // deleted meanwhile
                    }
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new StoreException("cannot list " + root + ": " + e.getMessage(), e);
        }
        return found;
    }

    @Override
    public boolean belowFloor() {
        try {
            return Files.getFileStore(root).getUsableSpace() < minFree;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String describe() {
        return "folder " + root;
    }

    /** Keys come from the relay itself, yet a key that would leave the folder is refused all the same. */
    private Path resolve(String key) {
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new StoreException("bad key " + key);
        }
        return path;
    }
}
