package io.picam.media.ts;

/**
 * The bytes kept from earlier calls followed by a new chunk, addressed as one sequence so that the
 * chunk never has to be copied just to be scanned.
 */
final class ByteWindow {

    private final byte[] head;
    private final int headLength;
    private final byte[] tail;
    private final int tailOffset;
    private final int tailLength;

    ByteWindow(byte[] head, int headLength, byte[] tail, int tailOffset, int tailLength) {
        this.head = head;
        this.headLength = headLength;
        this.tail = tail;
        this.tailOffset = tailOffset;
        this.tailLength = tailLength;
    }

    int length() {
        return headLength + tailLength;
    }

    byte at(int index) {
        return index < headLength ? head[index] : tail[tailOffset + index - headLength];
    }

    /**
     * Copies {@code length} bytes starting at {@code from} into {@code target}. The target may be the
     * head array itself (to keep a remainder): the head part is moved first, before anything is
     * written after it.
     */
    void copy(int from, byte[] target, int targetOffset, int length) {
        int fromHead = Math.max(0, Math.min(length, headLength - from));
        if (fromHead > 0) {
            System.arraycopy(head, from, target, targetOffset, fromHead);
        }
        if (length > fromHead) {
            int tailFrom = tailOffset + from + fromHead - headLength;
            System.arraycopy(tail, tailFrom, target, targetOffset + fromHead, length - fromHead);
        }
    }
}
