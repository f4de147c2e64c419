package org.ntk4j.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.data.Digits;
import org.ntk4j.train.Trainer;
import org.ntk4j.train.TrainingConfig;
import org.ntk4j.train.TrainingResult;

/**
 * 2,000 proximal-ntk training iterations on digits keep off-heap memory flat: the measures of
 * {@link Nd4jOffHeapMemoryTest} are taken by a listener after iteration {@value #BASELINE} (when the JIT and
 * ND4J's caches have settled) and after the last iteration, while the trainer's tensors are alive both times.
 */
@DisplayName("Training on the ND4J backend keeps off-heap memory flat")
class Nd4jTrainingMemoryTest {

    private static final int BASELINE = 200;
    private static final int ITERATIONS = 2000;

    @Test
    @DisplayName("2,000 proximal-ntk iterations on digits")
    void twoThousandIterations() {
        long[] at = new long[3];
        long[] end = new long[3];
        TrainingConfig c = TrainingConfig.defaults().withHidden(32).withBatchSize(16).withMaxIterations(ITERATIONS)
                .withEvalEvery(1000).withTargetAccuracy(Double.NaN).withSeeds(1, 2);
        try (Backend be = new Nd4jBackendProvider().create(BackendOptions.defaults())) {
            TrainingResult r = new Trainer(be, c).withRegistry(new SimpleMeterRegistry()).withListener(e -> {
                if (e.iteration() == BASELINE) {
                    measure(at);
                } else if (e.iteration() == ITERATIONS) {
                    measure(end);
                }
            }).train(Digits.standardSplit());
            assertEquals(ITERATIONS, r.iterations(), r.message());
        }
        assertEquals(at[0], end[0], "live array bytes from iteration " + BASELINE + " to " + ITERATIONS);
        assertTrue(end[1] - at[1] < 1 << 20, "JavaCPP's totalBytes, less the buffers kept for reuse, grew by "
                + (end[1] - at[1]));
        assertTrue(end[2] - at[2] < 64L << 20, "resident memory outside the heap grew by " + (end[2] - at[2]));
    }

    private static void measure(long[] into) {
        settle();
        into[0] = Nd4jMemory.liveBytes();
        into[1] = Pointer.totalBytes() - Nd4jBufferPool.heldBytes(); // the pool is bounded; a leak is not
        into[2] = Pointer.physicalBytes() - Runtime.getRuntime().totalMemory();
    }

    /**
     * Lets the garbage collector and JavaCPP's deallocator thread free what earlier tests in this JVM left behind
     * (arrays ND4J makes internally and drops), so that both measures see the same settled state.
     */
    private static void settle() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
