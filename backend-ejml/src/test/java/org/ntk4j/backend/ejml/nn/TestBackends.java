package org.ntk4j.backend.ejml.nn;

import java.util.SplittableRandom;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.ejml.EjmlBackendProvider;

/** The backend the network, kernel and predictor tests run on. */
public final class TestBackends {

    private TestBackends() {
    }

    /** @return a new EJML backend with default options */
    public static Backend ejml() {
        return new EjmlBackendProvider().create(BackendOptions.defaults());
    }

    /**
     * @param seed the random seed
     * @param n how many values
     * @param scale the half-width of the interval
     * @return n values drawn uniformly from [−scale, scale), the same for the same seed
     */
    public static double[] uniform(long seed, int n, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextDouble(-1, 1) * scale;
        }
        return x;
    }
}
