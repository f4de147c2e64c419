package org.ntk4j.tck;

import java.util.SplittableRandom;
import org.ntk4j.tensor.DType;

/**
 * Seeded random inputs. Values are rounded to the dtype under test, so that a backend stores them exactly
 * and every difference from the reference comes from the operation, not from the input's rounding.
 */
public final class RandomData {

    private final SplittableRandom random;
    private final DType dtype;

    /**
     * @param seed the seed
     * @param dtype the dtype values are rounded to
     */
    public RandomData(long seed, DType dtype) {
        this.random = new SplittableRandom(seed);
        this.dtype = dtype;
    }

    /** @return the underlying generator (advanced by every call of this object) */
    public SplittableRandom random() {
        return random;
    }

    /**
     * @param v a value
     * @return v rounded to the dtype
     */
    public double round(double v) {
        return dtype == DType.F32 ? (float) v : v;
    }

    /**
     * @param rows the number of rows
     * @param cols the number of columns
     * @return a matrix of values uniform in [−1, 1), rounded to the dtype
     */
    public HostMatrix uniform(int rows, int cols) {
        return uniform(rows, cols, -1, 1);
    }

    /**
     * @param rows the number of rows
     * @param cols the number of columns
     * @param lo the lower bound
     * @param hi the upper bound
     * @return a matrix of values uniform in [lo, hi), rounded to the dtype
     */
    public HostMatrix uniform(int rows, int cols, double lo, double hi) {
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = round(lo + (hi - lo) * random.nextDouble());
        }
        return new HostMatrix(rows, cols, d);
    }

    /**
     * @param rows the number of rows
     * @param cols the number of columns
     * @return a matrix of standard normal values, rounded to the dtype
     */
    public HostMatrix normal(int rows, int cols) {
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = round(random.nextGaussian());
        }
        return new HostMatrix(rows, cols, d);
    }

    /**
     * @param n the size
     * @return a well-conditioned symmetric positive definite n×n matrix M·Mᵀ/n + I, rounded to the dtype
     */
    public HostMatrix spd(int n) {
        HostMatrix m = normal(n, n);
        HostMatrix a = HostMatrix.zeros(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int p = 0; p < n; p++) {
                    s += m.get(i, p) * m.get(j, p);
                }
                double v = round(s / n + (i == j ? 1 : 0));
                a.set(i, j, v);
                a.set(j, i, v);
            }
        }
        return a;
    }
}
