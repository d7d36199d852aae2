package io.picam.media.fmp4;

import io.picam.media.MediaFormatException;

/** Reads a {@code moof}: does the video track's run start with a sync sample (a keyframe)? */
final class Fragment {

    private static final long NON_SYNC = 0x00010000L;
    private static final int TFHD_BASE_DATA_OFFSET = 0x01;
    private static final int TFHD_DESCRIPTION_INDEX = 0x02;
    private static final int TFHD_DEFAULT_DURATION = 0x08;
    private static final int TFHD_DEFAULT_SIZE = 0x10;
    private static final int TFHD_DEFAULT_FLAGS = 0x20;
    private static final int TRUN_DATA_OFFSET = 0x01;
    private static final int TRUN_FIRST_FLAGS = 0x04;
    private static final int TRUN_DURATION = 0x100;
    private static final int TRUN_SIZE = 0x200;
    private static final int TRUN_FLAGS = 0x400;

    private Fragment() {}

    /** True when a decoder can start at this fragment; a movie without video starts anywhere. */
    static boolean startsWithSync(Box moof, Movie movie) throws MediaFormatException {
        if (movie.videoTrackId() < 0) {
            return true;
        }
        for (int at = moof.payload(); at < moof.end(); ) {
            Box traf = Box.at(moof.buf(), at, moof.end());
            at = traf.end();
            if (!traf.type().equals("traf")) {
                continue;
            }
            Box tfhd = traf.child("tfhd");
            if (tfhd == null) {
                throw Box.malformed("a track fragment without tfhd");
            }
            if ((int) tfhd.u32(4) != movie.videoTrackId()) {
                continue;
            }
            Long flags = firstSampleFlags(traf, tfhd);
            if (flags == null) {
                flags = movie.trexDefaultFlags().get(movie.videoTrackId());
            }
            return flags != null && (flags & NON_SYNC) == 0;
        }
        return false; // no video in this fragment: nothing to start decoding with
    }

    private static Long firstSampleFlags(Box traf, Box tfhd) throws MediaFormatException {
        Box trun = traf.child("trun");
        if (trun != null) {
            int trFlags = (int) (trun.u32(0) & 0xffffff);
            int offset = 8; // version/flags, sample_count
            if ((trFlags & TRUN_DATA_OFFSET) != 0) {
                offset += 4;
            }
            if ((trFlags & TRUN_FIRST_FLAGS) != 0) {
                return trun.u32(offset);
            }
            if ((trFlags & TRUN_FLAGS) != 0 && trun.u32(4) > 0) {
                if ((trFlags & TRUN_DURATION) != 0) {
                    offset += 4;
                }
                if ((trFlags & TRUN_SIZE) != 0) {
                    offset += 4;
                }
                return trun.u32(offset);
            }
        }
        int tfFlags = (int) (tfhd.u32(0) & 0xffffff);
        if ((tfFlags & TFHD_DEFAULT_FLAGS) == 0) {
            return null;
        }
        int offset = 8; // version/flags, track_ID
        if ((tfFlags & TFHD_BASE_DATA_OFFSET) != 0) {
            offset += 8;
        }
        if ((tfFlags & TFHD_DESCRIPTION_INDEX) != 0) {
            offset += 4;
        }
        if ((tfFlags & TFHD_DEFAULT_DURATION) != 0) {
            offset += 4;
        }
        if ((tfFlags & TFHD_DEFAULT_SIZE) != 0) {
            offset += 4;
        }
        return tfhd.u32(offset);
    }
}
