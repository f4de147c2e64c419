package org.ntk4j.nn;

import java.util.SplittableRandom;

/** Seeded normal draws for parameter initialization, identical on every platform and backend. */
public final class Gaussians {

    private Gaussians() {
    }

    /**
     * Normal draws with mean 0 by the Box–Muller transform (deterministic for a given generator state).
     *
     * @param rng the generator (advanced: modified)
     * @param n how many values
     * @param sd their standard deviation
     * @return n values
     */
    public static double[] draw(SplittableRandom rng, int n, double sd) {
        double[] out = new double[n];
        for (int i = 0; i < n; i += 2) {
            double u1 = 1 - rng.nextDouble();
            double u2 = rng.nextDouble();
            double r = Math.sqrt(-2 * Math.log(u1));
            out[i] = sd * r * Math.cos(2 * Math.PI * u2);
            if (i + 1 < n) {
                out[i + 1] = sd * r * Math.sin(2 * Math.PI * u2);
            }
        }
        return out;
    }
}
