package io.picam.client.config;

import java.util.ArrayList;
import java.util.List;

/** Who owns a file and its {@code st_mode} bits (type, sticky, permissions), as {@code stat} reports them. */
public record FileMode(int uid, int gid, int mode) {

    private static final int TYPE_MASK = 0170000;
    private static final int DIRECTORY = 0040000;
    private static final int STICKY = 01000;
    private static final int GROUP_WRITE = 0020;
    private static final int OTHERS_WRITE = 0002;

    public static FileMode file(int uid, int gid, int permissions) {
        return new FileMode(uid, gid, 0100000 | permissions);
    }

    public static FileMode directory(int uid, int gid, int permissions) {
        return new FileMode(uid, gid, DIRECTORY | permissions);
    }

    public boolean isDirectory() {
        return (mode & TYPE_MASK) == DIRECTORY;
    }

    /**
     * Why a user other than root could change this file (or, for a directory, swap what is in it); empty when
     * none can. A sticky directory writable by all ({@code /tmp}) lets nobody replace root's files in it.
     */
    public List<String> whyNotRootOnly() {
        List<String> why = new ArrayList<>();
        if (uid != 0) {
            why.add("owned by uid " + uid);
        }
        boolean sticky = isDirectory() && (mode & STICKY) != 0;
        if ((mode & GROUP_WRITE) != 0 && !sticky) {
            why.add("writable by its group (gid " + gid + ")");
        }
        if ((mode & OTHERS_WRITE) != 0 && !sticky) {
            why.add("writable by other users");
        }
        return why;
    }
}
