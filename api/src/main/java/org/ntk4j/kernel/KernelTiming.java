package org.ntk4j.kernel;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Records a kernel computation: the {@code ntk4j.kernel.compute} timer (tags backend, kind), the
 * {@code ntk4j.backend.flops} counter (tags backend, op = kernel.&lt;kind&gt;) and the listener.
 */
final class KernelTiming {

    private KernelTiming() {
    }

    static void record(MeterRegistry registry, KernelListener listener, String kind, String backend, int rows,
                       int cols, long nanos, long flops) {
        if (registry != null) {
            Timer.builder("ntk4j.kernel.compute").description("time to compute a kernel matrix")
                    .tag("backend", backend).tag("kind", kind).register(registry).record(nanos, TimeUnit.NANOSECONDS);
            Counter.builder("ntk4j.backend.flops").description("floating-point operations in matrix products")
                    .tag("backend", backend).tag("op", "kernel." + kind).register(registry).increment(flops);
        }
        listener.computed(new KernelListener.Event(kind, backend, rows, cols, nanos, flops));
    }

    /** 2·m·n·k, the flops of an m×k by k×n product. */
    static long gemm(long m, long n, long k) {
        return 2 * m * n * k;
    }
}
