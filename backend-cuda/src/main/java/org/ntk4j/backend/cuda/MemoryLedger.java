package org.ntk4j.backend.cuda;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the device bytes a backend holds: every allocation adds its size, every free subtracts it. Read it
 * through {@link CudaBackend#deviceMemoryUsed()} or the gauge {@value #GAUGE}.
 */
final class MemoryLedger {

    /** The gauge's name, tagged {@code backend=cuda}. */
    static final String GAUGE = "ntk4j.backend.memory.used";

    private final AtomicLong used = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong allocations = new AtomicLong();

    /** @param bytes the size of a new allocation, ≥ 0 */
    void allocated(long bytes) {
        long now = used.addAndGet(bytes);
        allocations.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
    }

    /** @param bytes the size of an allocation just freed, ≥ 0 */
    void freed(long bytes) {
        used.addAndGet(-bytes);
        allocations.decrementAndGet();
    }

    /** @return the bytes held now */
    long used() {
        return used.get();
    }

    /** @return the most bytes held at once so far */
    long peak() {
        return peak.get();
    }

    /** @return the number of allocations held now */
    long allocations() {
        return allocations.get();
    }

    /**
     * Registers the gauge {@value #GAUGE} (bytes, tag {@code backend=cuda}) for this ledger.
     *
     * @param registry the registry (modified: the gauge is added)
     * @return the gauge
     */
    Gauge bind(MeterRegistry registry) {
        return Gauge.builder(GAUGE, this, MemoryLedger::used)
                .tag("backend", "cuda")
                .baseUnit("bytes")
                .description("device memory held by the tensors and scratch buffers of the CUDA backend")
                .strongReference(true)
                .register(registry);
    }
}
