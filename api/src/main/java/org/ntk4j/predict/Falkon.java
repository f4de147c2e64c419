package org.ntk4j.predict;

import java.util.Arrays;
import java.util.Objects;
import org.ntk4j.backend.Backend;
import org.ntk4j.predict.FalkonOptions.Storage;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * Kernel ridge regression on more samples than an N×N kernel allows, as Falkon solves it (Rudi, Carratino,
 * Rosasco 2017; Meanti et al. 2020): M Nyström centres C chosen uniformly, and the Nyström normal equations
 *
 * <pre>
 *   (K_NMᵀK_NM + λ·N·K_MM)·α = K_NMᵀ·Y,      f(x) = K(x, C)·α
 * </pre>
 *
 * solved by conjugate gradient with Falkon's preconditioner: T = chol(K_MM) (upper, TᵀT = K_MM, plus a tiny
 * diagonal shift when K_MM is numerically singular), A = chol(T·Tᵀ/M + λ·I), B = T⁻¹A⁻¹, and CG on
 * W·β = b with W = Bᵀ(K_NMᵀK_NM/N + λ·K_MM)B = A⁻ᵀ(T⁻ᵀK_NMᵀK_NM·T⁻¹/N + λ·I)A⁻¹, b = A⁻ᵀT⁻ᵀK_NMᵀY/N, α = B·β.
 * Every target column is its own CG run; all share each K_NM pass. With M = N the solution is exact kernel
 * ridge regression, (K + λ·N·I)·α = Y.
 *
 * <p>K_NM is computed tile by tile (rows of X against all centres) and never N×N: kept on the host in F32 or
 * F64 (O(N·M) memory) or recomputed in every iteration (O(tile·M + M²)); {@link FalkonOptions.Storage#AUTO}
 * keeps it when it takes at most half the free heap. Instances are immutable.
 */
public final class Falkon {

    private final CrossKernel kernel;
    private final FalkonOptions options;
    private final FalkonProgress progress;

    private Falkon(CrossKernel kernel, FalkonOptions options, FalkonProgress progress) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.options = Objects.requireNonNull(options, "options");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * @param kernel the kernel
     * @param options the settings
     * @return a solver that reports no progress
     */
    public static Falkon of(CrossKernel kernel, FalkonOptions options) {
        return new Falkon(kernel, options, FalkonProgress.NONE);
    }

    /**
     * @param p told of kernel tiles and iterations
     * @return a copy reporting there
     */
    public Falkon withProgress(FalkonProgress p) {
        return new Falkon(kernel, options, p);
    }

    /** @return the settings */
    public FalkonOptions options() {
        return options;
    }

    /**
     * Chooses the centres, computes K_MM and K_NM tile by tile, and solves.
     *
     * @param backend the backend the kernel tiles are computed on
     * @param x row-major N×d training samples (not modified)
     * @param d the number of features
     * @param y row-major N×C targets (not modified)
     * @param c the number of target columns C
     * @return the fitted model
     */
    public FalkonModel fit(Backend backend, double[] x, int d, double[] y, int c) {
        if (d < 1 || x.length == 0 || x.length % d != 0) {
            throw new IllegalArgumentException("samples: " + x.length + " values are not rows of " + d + " features");
        }
        int n = x.length / d;
        if (c < 1 || y.length != (long) n * c) {
            throw new IllegalArgumentException("targets: " + y.length + " values for " + n + " samples × " + c
                    + " columns");
        }
        long t0 = System.nanoTime();
        int m = Math.min(options.centres(), n);
        int[] idx = NystromCentres.uniform(n, m, options.seed());
        double[] cx = NystromCentres.gather(x, d, idx);
        int tile = Math.min(n, options.tileRowsFor(m));
        double[] alpha;
        boolean inMemory;
        int[] iterations = new int[1];
        double[] residual = new double[1];
        try (TensorScope scope = backend.scope()) {
            Tensor centres = backend.fromHost(cx, m, d, DType.F64);
            FalkonPreconditioner pre = preconditioner(backend, cx, d, centres, tile);
            LocalNystrom products = new LocalNystrom(backend, kernel, x, d, centres, tile,
                    keep(n, m), options.precision(), progress);
            inMemory = products.inMemory();
            alpha = solve(pre, products, y, c, options, progress, iterations, residual);
        }
        return new FalkonModel(kernel, cx, d, alpha, c, iterations[0], residual[0], inMemory,
                System.nanoTime() - t0);
    }

    /**
     * K_MM and its factors, before K_NM is computed: the host copy of K_MM is garbage by the time K_NM's tiles
     * take the heap. The factors are made in the caller's scope, which closes them.
     */
    private FalkonPreconditioner preconditioner(Backend backend, double[] cx, int d, Tensor centres, int tile) {
        double[] kmm = KernelTiles.full(backend, kernel, cx, d, centres, tile, "K_MM", progress);
        return FalkonPreconditioner.of(backend, kmm, centres.rows(), options.ridge());
    }

    /** Whether K_NM is kept: forced, or when it takes at most half the heap that is free now. */
    private boolean keep(int n, int m) {
        if (options.storage() != Storage.AUTO) {
            return options.storage() == Storage.MEMORY;
        }
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        long bytes = (long) n * m * (options.precision() == FalkonOptions.Precision.F32 ? 4 : 8);
        return bytes <= free / 2;
    }

    /**
     * The preconditioned conjugate gradient on the Nyström normal equations, for any way of holding K_NM.
     *
     * @param pre the preconditioner built from K_MM and λ (not modified)
     * @param products the products with K_NM
     * @param y row-major N×C targets (not modified)
     * @param c the number of target columns C
     * @param options λ and the stopping rule
     * @param progress told after every iteration
     * @param iterations receives the iterations done in [0] (modified)
     * @param residual receives the largest final relative residual in [0] (modified)
     * @return α, C×M (column c at [c·M, (c+1)·M))
     */
    public static double[] solve(FalkonPreconditioner pre, NystromProducts products, double[] y, int c,
                                 FalkonOptions options, FalkonProgress progress, int[] iterations, double[] residual) {
        int m = products.centres();
        int n = products.samples();
        if (pre.centres() != m) {
            throw new IllegalArgumentException("the preconditioner has " + pre.centres() + " centres, K_NM " + m);
        }
        double lambda = options.ridge();
        double[] b = products.transposeTimes(y, c);
        scale(1.0 / n, b);
        pre.solveT(b, true);
        pre.solveA(b, true);
        double[] beta = conjugateGradient(p -> {
            double[] v = p.clone();
            pre.solveA(v, false);
            double[] w = v.clone();
            pre.solveT(w, false);
            double[] g = products.gram(w, c);
            scale(1.0 / n, g);
            pre.solveT(g, true);
            for (int i = 0; i < g.length; i++) {
                g[i] += lambda * v[i];
            }
            pre.solveA(g, true);
            return g;
        }, b, m, c, options, progress, iterations, residual);
        pre.solveA(beta, false);
        pre.solveT(beta, false);
        return beta;
    }

    /** The product W·p of the preconditioned operator, C×M. */
    private interface Operator {
        double[] apply(double[] p);
    }

    private static double[] conjugateGradient(Operator w, double[] b, int m, int c, FalkonOptions options,
                                              FalkonProgress progress, int[] iterations, double[] residual) {
        double[] x = new double[c * m];
        double[] r = b.clone();
        double[] p = b.clone();
        double[] rr = new double[c];
        double[] bNorm = new double[c];
        boolean[] active = new boolean[c];
        double worst = 0;
        for (int a = 0; a < c; a++) {
            rr[a] = KnmTile.dot(r, a * m, r, a * m, m);
            bNorm[a] = Math.sqrt(rr[a]);
            active[a] = bNorm[a] > 0;
        }
        int it = 0;
        while (it < options.maxIterations() && anyTrue(active)) {
            double[] wp = w.apply(p);
            it++;
            worst = 0;
            for (int a = 0; a < c; a++) {
                if (!active[a]) {
                    continue;
                }
                int o = a * m;
                double pwp = KnmTile.dot(p, o, wp, o, m);
                if (!(pwp > 0)) {
                    active[a] = false;
                    continue;
                }
                double step = rr[a] / pwp;
                double next = 0;
                for (int i = o; i < o + m; i++) {
                    x[i] += step * p[i];
                    r[i] -= step * wp[i];
                    next += r[i] * r[i];
                }
                double rel = Math.sqrt(next) / bNorm[a];
                worst = Math.max(worst, rel);
                if (rel <= options.tolerance()) {
                    active[a] = false;
                    Arrays.fill(p, o, o + m, 0);
                } else {
                    double ratio = next / rr[a];
                    for (int i = o; i < o + m; i++) {
                        p[i] = r[i] + ratio * p[i];
                    }
                }
                rr[a] = next;
            }
            progress.iteration(it, worst);
        }
        iterations[0] = it;
        residual[0] = worst;
        return x;
    }

    private static boolean anyTrue(boolean[] v) {
        for (boolean b : v) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    private static void scale(double s, double[] v) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= s;
        }
    }

    @Override
    public String toString() {
        return "falkon[" + options + "]";
    }
}
