package org.ntk4j.predict;

import java.util.Arrays;
import java.util.SplittableRandom;

/** The choice of Nyström centres: which training samples the kernel is compressed onto. */
public final class NystromCentres {

    private NystromCentres() {
    }

    /**
     * M distinct indices out of N, uniformly without replacement (a partial Fisher–Yates shuffle), the same for
     * the same seed.
     *
     * @param n the number of samples N ≥ 1
     * @param m the number of centres, 1 ≤ M ≤ N
     * @param seed the random seed
     * @return the indices, ascending
     */
    public static int[] uniform(int n, int m, long seed) {
        if (n < 1 || m < 1 || m > n) {
            throw new IllegalArgumentException("need 1 ≤ centres ≤ samples, got " + m + " centres of " + n + " samples");
        }
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < m; i++) {
            int j = i + r.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] out = Arrays.copyOf(perm, m);
        Arrays.sort(out);
        return out;
    }

    /**
     * The rows of a row-major matrix.
     *
     * @param x row-major N×d values (not modified)
     * @param d the number of columns
     * @param rows the rows to take
     * @return a new row-major rows.length×d matrix
     */
    public static double[] gather(double[] x, int d, int[] rows) {
        double[] out = new double[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x, rows[i] * d, out, i * d, d);
        }
        return out;
    }
}
