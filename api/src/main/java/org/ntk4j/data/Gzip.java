package org.ntk4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.ntk4j.io.MalformedDataException;

/**
 * Transparent gzip decompression, detected by the magic bytes 1f 8b rather than by the file name. Corrupt or
 * truncated compressed data is a {@link MalformedDataException} naming the file.
 */
final class Gzip {

    private Gzip() {
    }

    /**
     * @param raw a stream (read from; closing the result closes it)
     * @return whether it starts with the gzip magic (it is left where it was: {@code raw} must support mark)
     * @throws IOException if the stream fails
     */
    static boolean isGzip(BufferedInputStream raw) throws IOException {
        raw.mark(2);
        int a = raw.read();
        int b = raw.read();
        raw.reset();
        return a == 0x1f && b == 0x8b;
    }

    /**
     * @param raw a stream (read from; closing the result closes it)
     * @param source the file name used in error messages
     * @return a stream of the decompressed bytes if {@code raw} starts with the gzip magic, else of the bytes
     * @throws MalformedDataException naming the source if the gzip header is corrupt
     * @throws IOException if the stream fails
     */
    static InputStream maybeDecompress(InputStream raw, String source) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        if (!isGzip(in)) {
            return in;
        }
        try {
            return new BufferedInputStream(new Named(new GZIPInputStream(in, 1 << 16), source), 1 << 16);
        } catch (ZipException | EOFException e) {
            throw corrupt(source, e);
        }
    }

    private static MalformedDataException corrupt(String source, IOException e) {
        return new MalformedDataException(source + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
    }

    /** Translates the decompressor's bare errors into messages that name the file. */
    private static final class Named extends FilterInputStream {
        private final String source;

        Named(InputStream in, String source) {
            super(in);
            this.source = source;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (ZipException | EOFException e) {
                throw corrupt(source, e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (ZipException | EOFException e) {
                throw corrupt(source, e);
            }
        }
    }
}
