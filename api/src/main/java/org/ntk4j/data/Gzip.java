package org.ntk4j.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Transparent gzip decompression, detected by the magic bytes 1f 8b rather than by the file name. */
final class Gzip {

    private Gzip() {
    }

    /**
     * @param raw a stream (read from; closing the result closes it)
     * @return a stream of the decompressed bytes if {@code raw} starts with the gzip magic, else of the bytes
     * @throws IOException if the stream fails
     */
    static InputStream maybeDecompress(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int a = in.read();
        int b = in.read();
        in.reset();
        if (a == 0x1f && b == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return in;
    }
}
