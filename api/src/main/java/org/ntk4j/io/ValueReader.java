package org.ntk4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * Reads the fixed-width values that a file's header declares without trusting the declaration: before
 * anything is allocated the count is checked against the Java heap, and unless the caller has checked it
 * against the bytes the file holds, the array grows as the values arrive, so that a header that claims
 * more than the data costs no more memory than the data.
 */
public final class ValueReader {

    /** Values allocated at first when the count is not verified: 8 MiB of doubles. */
    private static final int FIRST_CAPACITY = 1 << 20;
    private static final int CHUNK = 1 << 16;

    private ValueReader() {
    }

    /** Decodes one value. */
    @FunctionalInterface
    public interface DoubleDecoder {
        /**
         * @param buffer the raw bytes (not modified)
         * @param offset the value's first byte in {@code buffer}
         * @return the value
         */
        double get(ByteBuffer buffer, int offset);
    }

    /** Decodes one integer value. */
    @FunctionalInterface
    public interface LongDecoder {
        /**
         * @param buffer the raw bytes (not modified)
         * @param offset the value's first byte in {@code buffer}
         * @return the value
         */
        long get(ByteBuffer buffer, int offset);
    }

    /** What is read: the values, their width and byte order, and how trusted their count is. */
    private record Plan(InputStream in, long count, int width, ByteOrder order, boolean verified, String source,
            LongFunction<String> truncated) {
    }

    /**
     * @param in the stream, positioned at the first value (read from, not closed)
     * @param count the declared number of values
     * @param width the bytes per value
     * @param order the byte order
     * @param decoder turns the bytes of one value into a double
     * @param verified whether {@code count} was checked against the bytes the source holds (the array is then
     *     allocated at once)
     * @param source the name used in error messages
     * @param truncated the message for data that ends early, given the bytes that were read
     * @return the values
     * @throws MalformedDataException naming the source if the count is beyond one Java array or the heap, or
     *     the data ends early
     * @throws IOException if the stream fails
     */
    public static double[] readDoubles(InputStream in, long count, int width, ByteOrder order, DoubleDecoder decoder,
            boolean verified, String source, LongFunction<String> truncated) throws IOException {
        Plan p = new Plan(in, count, width, order, verified, source, truncated);
        double[][] store = {new double[firstCapacity(p, Double.BYTES)]};
        read(p, Double.BYTES, need -> store[0] = Arrays.copyOf(store[0], need), (b, n, at) -> {
            double[] a = store[0];
            for (int i = 0; i < n; i++) {
                a[at + i] = decoder.get(b, i * width);
            }
        });
        return store[0];
    }

    /**
     * As {@link #readDoubles}, for integer values.
     *
     * @param in the stream, positioned at the first value (read from, not closed)
     * @param count the declared number of values
     * @param width the bytes per value
     * @param order the byte order
     * @param decoder turns the bytes of one value into a long
     * @param verified whether {@code count} was checked against the bytes the source holds
     * @param source the name used in error messages
     * @param truncated the message for data that ends early, given the bytes that were read
     * @return the values
     * @throws MalformedDataException naming the source if the count is beyond one Java array or the heap, or
     *     the data ends early
     * @throws IOException if the stream fails
     */
    public static long[] readLongs(InputStream in, long count, int width, ByteOrder order, LongDecoder decoder,
            boolean verified, String source, LongFunction<String> truncated) throws IOException {
        Plan p = new Plan(in, count, width, order, verified, source, truncated);
        long[][] store = {new long[firstCapacity(p, Long.BYTES)]};
        read(p, Long.BYTES, need -> store[0] = Arrays.copyOf(store[0], need), (b, n, at) -> {
            long[] a = store[0];
            for (int i = 0; i < n; i++) {
                a[at + i] = decoder.get(b, i * width);
            }
        });
        return store[0];
    }

    /**
     * Refuses an allocation that the Java heap cannot hold, naming the remedy.
     *
     * @param bytes the size of the allocation
     * @param source the name used in the message (a file)
     * @param what what would be allocated
     * @throws MalformedDataException if {@code bytes} exceed the heap's free space (after a collection)
     */
    public static void requireHeap(long bytes, String source, String what) throws MalformedDataException {
        if (bytes <= headroom()) {
            return;
        }
        System.gc(); // only on the way to refusing: garbage may be counted as used
        long free = headroom();
        if (bytes > free) {
            throw new MalformedDataException(source + ": " + what + " needs " + human(bytes) + " of memory, more than"
                    + " the " + human(free) + " free in the Java heap of " + human(Runtime.getRuntime().maxMemory())
                    + "; raise the heap (JAVA_OPTS=-Xmx…) or read fewer samples");
        }
    }

    private static long headroom() {
        Runtime r = Runtime.getRuntime();
        return r.maxMemory() - (r.totalMemory() - r.freeMemory());
    }

    /**
     * @param bytes a size
     * @return it in KB, MB or GB with one decimal
     */
    static String human(long bytes) {
        if (bytes < 1 << 20) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        if (bytes < 1L << 30) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1 << 20));
        }
        return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
    }

    private static int firstCapacity(Plan p, int elementBytes) throws MalformedDataException {
        if (p.count() > Integer.MAX_VALUE - 16) {
            throw new MalformedDataException(p.source() + ": " + p.count() + " values are too many for one Java"
                    + " array; read fewer samples");
        }
        requireHeap(p.count() * elementBytes, p.source(), p.count() + " values");
        return (int) (p.verified() ? p.count() : Math.min(p.count(), FIRST_CAPACITY));
    }

    @FunctionalInterface
    private interface Grow {
        void to(int capacity);
    }

    @FunctionalInterface
    private interface Decode {
        void into(ByteBuffer buffer, int values, int at);
    }

    private static void read(Plan p, int elementBytes, Grow grow, Decode decode) throws IOException {
        int n = (int) p.count();
        int capacity = p.verified() ? n : Math.min(n, FIRST_CAPACITY);
        byte[] buf = new byte[CHUNK];
        ByteBuffer b = ByteBuffer.wrap(buf).order(p.order());
        int perChunk = CHUNK / p.width();
        int done = 0;
        while (done < n) {
            int want = Math.min(perChunk, n - done);
            int got = p.in().readNBytes(buf, 0, want * p.width());
            if (got < want * p.width()) {
                throw new MalformedDataException(p.truncated().apply((long) done * p.width() + got));
            }
            if (done + want > capacity) {
                capacity = (int) Math.min(n, 2L * capacity);
                requireHeap((long) capacity * elementBytes, p.source(), capacity + " values");
                grow.to(capacity);
            }
            decode.into(b, want, done);
            done += want;
        }
    }
}
