package org.ntk4j.train;

import io.micrometer.core.instrument.Clock;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;
import org.ntk4j.optim.Phase;

/**
 * The time spent in each {@link Phase} during one iteration, measured with a Micrometer {@link Clock} (the
 * registry's, so that tests can use a {@code MockClock}). Not thread-safe.
 */
public final class PhaseTimes {

    private final Clock clock;
    private final EnumMap<Phase, Long> nanos = new EnumMap<>(Phase.class);
    private Phase running;

    /**
     * @param clock the clock whose {@link Clock#monotonicTime()} is read
     */
    public PhaseTimes(Clock clock) {
        this.clock = clock;
    }

    /**
     * Runs work and adds its duration to a phase. Nested calls count toward the outer phase only.
     *
     * @param phase the phase
     * @param work the work
     * @param <T> its result type
     * @return the work's result
     */
    public <T> T time(Phase phase, Supplier<T> work) {
        if (running != null) {
            return work.get();
        }
        running = phase;
        long t0 = clock.monotonicTime();
        try {
            return work.get();
        } finally {
            nanos.merge(phase, clock.monotonicTime() - t0, Long::sum);
            running = null;
        }
    }

    /**
     * @param phase a phase
     * @param duration nanoseconds to add to it
     */
    public void add(Phase phase, long duration) {
        nanos.merge(phase, duration, Long::sum);
    }

    /** @return the nanoseconds per phase that ran, unmodifiable (a snapshot) */
    public Map<Phase, Long> snapshot() {
        return Collections.unmodifiableMap(new EnumMap<>(nanos));
    }

    /** Forgets every duration, for the next iteration. */
    public void reset() {
        nanos.clear();
    }
}
