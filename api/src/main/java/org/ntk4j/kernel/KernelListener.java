package org.ntk4j.kernel;

/**
 * Told after every kernel computation, with its duration and its GEMM flop count (2·m·n·k per product),
 * so a caller can report achieved GFLOP/s = flops / nanos.
 */
@FunctionalInterface
public interface KernelListener {

    /** A listener that does nothing. */
    KernelListener NONE = event -> { };

    /**
     * @param event what was computed and how long it took
     */
    void computed(Event event);

    /**
     * One kernel computation.
     *
     * @param kind {@code "empirical"} or {@code "analytic"}
     * @param backend the backend's name
     * @param rows the kernel's rows
     * @param cols the kernel's columns
     * @param nanos the wall time in nanoseconds
     * @param gemmFlops the floating-point operations done in matrix products
     */
    record Event(String kind, String backend, int rows, int cols, long nanos, long gemmFlops) {
        /** @return gemmFlops / nanos: achieved GFLOP/s in matrix products */
        public double gflopsPerSecond() {
            return nanos == 0 ? 0 : (double) gemmFlops / nanos;
        }
    }
}
