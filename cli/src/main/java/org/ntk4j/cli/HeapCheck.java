package org.ntk4j.cli;

import java.util.Locale;

/**
 * Checks sizes that come from the command line before anything is allocated: a matrix must fit in a Java array
 * (a usage error otherwise), and the memory a command needs at least must fit in the JVM's heap
 * ({@link Runtime#maxMemory}; a failure naming the fix otherwise).
 */
final class HeapCheck {

    /** The most elements a Java array can hold. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private HeapCheck() {
    }

    /**
     * @param option the option the size comes from, e.g. "--hidden 1000000000"
     * @param what what has that many elements, e.g. "a 64×1000000000 weight matrix"
     * @param rows its rows, ≥ 0
     * @param cols its columns, ≥ 0
     * @return rows·cols
     * @throws UsageException if that overflows or is more than a Java array holds
     */
    static long elements(String option, String what, long rows, long cols) {
        long n;
        try {
            n = Math.multiplyExact(rows, cols);
        } catch (ArithmeticException e) {
            n = Long.MAX_VALUE;
        }
        if (n > MAX_ARRAY) {
            throw new UsageException(option + ": " + what + " would have " + (n == Long.MAX_VALUE ? "more than 2^63"
                    : String.valueOf(n)) + " entries, more than a Java array holds (" + MAX_ARRAY + "); lower it");
        }
        return n;
    }

    /**
     * @param what what needs the memory, e.g. "the model's 4.0e8 parameters (6 copies while training)"
     * @param doubles how many float64 values it needs at least
     * @param lower the options that make it smaller, e.g. "--hidden"
     * @throws IllegalStateException if that is more than the heap can ever hold
     */
    static void fits(String what, double doubles, String lower) {
        double bytes = doubles * Double.BYTES;
        long max = Runtime.getRuntime().maxMemory();
        if (bytes > max) {
            throw new IllegalStateException(what + ": at least " + size(bytes) + ", more than this JVM's heap of "
                    + size(max) + ": raise it with JAVA_OPTS=-Xmx… or lower " + lower);
        }
    }

    /**
     * @param bytes a size in bytes
     * @return it in MB, GB or TB with one decimal
     */
    static String size(double bytes) {
        String[] units = {"MB", "GB", "TB", "PB"};
        double v = bytes / (1 << 20);
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** @return the heap's limit, for messages */
    static String heap() {
        return size(Runtime.getRuntime().maxMemory());
    }
}
