package org.ntk4j.bench;

import java.util.SplittableRandom;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.Backends;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A backend for one trial, by name: an unavailable one fails the trial with its reason. Subclasses create their
 * inputs in {@link #scope()}, which closes with the backend.
 */
@State(Scope.Benchmark)
public abstract class BackendState {

    /** The backend's name. */
    @Param({"ejml", "nd4j"})
    public String backend;

    private Backend instance;
    private TensorScope scope;

    /** Creates the backend and the inputs. */
    @Setup(Level.Trial)
    public void open() {
        instance = Backends.create(backend);
        scope = instance.scope();
        prepare(instance, new SplittableRandom(42));
    }

    /** Frees the inputs and the backend. */
    @TearDown(Level.Trial)
    public void close() {
        scope.close();
        instance.close();
    }

    /** @return the backend of this trial */
    public Backend backend() {
        return instance;
    }

    /**
     * Creates the inputs of the benchmark.
     *
     * @param b the backend
     * @param random the seeded random source (advanced)
     */
    protected abstract void prepare(Backend b, SplittableRandom random);

    /**
     * @param b the backend
     * @param random the random source (advanced)
     * @param rows rows
     * @param cols columns
     * @return a rows×cols F64 tensor of values uniform in [−1, 1)
     */
    static Tensor random(Backend b, SplittableRandom random, int rows, int cols) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextDouble() * 2 - 1;
        }
        return b.fromHost(v, rows, cols, DType.F64);
    }
}
