package org.ntk4j.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Availability;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.ejml.EjmlBackendProvider;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * The GPU benchmark run by {@code device-check.sh}: GEMM GFLOP/s at 4096² and 8192² in F32 and F64, and the
 * traced empirical NTK of N inputs of dimension 784 through an MLP 784-2048-2048-10 (ReLU, NTK
 * parameterization), computed from per-layer Grams as the library does: per output, one backward pass for the
 * deltas, and Θ = (1/O)·Σ_a Σ_l (δ_a^l·δ_a^lᵀ) ⊙ ((σ_w²/n_l)·X^l·X^lᵀ + σ_b²). The first 128 rows of the
 * kernel are recomputed on the EJML backend and compared. Prints one line per measurement, then exits with 0,
 * or with 2 and the probe's reason when there is no device.
 *
 * <p>Arguments: {@code [N]} (default 8192).
 */
public final class CudaBenchmark {

    private static final int[] WIDTHS = {784, 2048, 2048, 10};
    private static final double SIGMA_W = Math.sqrt(2);
    private static final double SIGMA_B = 0.1;
    private static final int CHECK_ROWS = 128;

    private CudaBenchmark() {
    }

    /**
     * @param args optionally the number of inputs N for the eNTK (not modified)
     */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 8192;
        Availability a = new CudaBackendProvider().probe();
        if (!a.available()) {
            System.out.println("no CUDA device: " + a.detail());
            System.exit(2);
        }
        System.out.println("device: " + a.detail());
        List<String> rows = new ArrayList<>();
        try (Backend gpu = new CudaBackendProvider().create(BackendOptions.defaults())) {
            System.out.println("gemm engine: " + ((CudaBackend) gpu).gemmEngine());
            for (DType dtype : new DType[] {DType.F32, DType.F64}) {
                for (int size : new int[] {4096, 8192}) {
                    rows.add(gemm(gpu, size, dtype));
                    System.out.println(rows.get(rows.size() - 1));
                }
            }
            for (DType dtype : new DType[] {DType.F32, DType.F64}) {
                rows.add(entk(gpu, n, dtype));
                System.out.println(rows.get(rows.size() - 1));
            }
        }
        System.out.println("summary:");
        rows.forEach(r -> System.out.println("  " + r));
    }

    /** Forces queued device work to finish (a download waits for it). */
    private static void sync(Backend b, Tensor t) {
        try (Tensor one = b.gatherRows(t, new int[] {0})) {
            b.dot(one, one);
        }
    }

    private static double[] random(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] d = new double[count];
        for (int i = 0; i < count; i++) {
            d[i] = r.nextDouble(-1, 1);
        }
        return d;
    }

    private static String gemm(Backend gpu, int size, DType dtype) {
        try (TensorScope scope = gpu.scope()) {
            Tensor a = gpu.fromHost(random(size * size, 1), size, size, dtype);
            Tensor b = gpu.fromHost(random(size * size, 2), size, size, dtype);
            Tensor c = gpu.zeros(size, size, dtype);
            gpu.gemm(1, a, false, b, false, 0, c); // warm-up (and the JIT of the module on first use)
            sync(gpu, c);
            int reps = size <= 4096 ? 5 : 2;
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                gpu.gemm(1, a, false, b, false, 0, c);
            }
            sync(gpu, c);
            double seconds = (System.nanoTime() - t0) / 1e9 / reps;
            double gflops = 2.0 * size * size * size / seconds / 1e9;
            return String.format(Locale.ROOT, "gemm %s %dx%d  %9.1f GFLOP/s  (%.3f s per call)", dtype, size, size,
                    gflops, seconds);
        }
    }

    /** The MLP's weights and biases, drawn on the host so that every backend gets the same ones. */
    private static double[][] parameters() {
        SplittableRandom r = new SplittableRandom(42);
        double[][] p = new double[2 * (WIDTHS.length - 1)][];
        for (int l = 0; l + 1 < WIDTHS.length; l++) {
            double[] w = new double[WIDTHS[l] * WIDTHS[l + 1]];
            for (int i = 0; i < w.length; i++) {
                w[i] = gaussian(r);
            }
            double[] b = new double[WIDTHS[l + 1]];
            for (int i = 0; i < b.length; i++) {
                b[i] = gaussian(r);
            }
            p[2 * l] = w;
            p[2 * l + 1] = b;
        }
        return p;
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }

    /**
     * The traced empirical NTK of the MLP on the given inputs.
     *
     * @return a new n×n tensor
     */
    static Tensor traced(Backend b, double[] inputs, int n, double[][] params, DType dtype) {
        int layers = WIDTHS.length - 1;
        int outputs = WIDTHS[layers];
        try (TensorScope scope = b.scope()) {
            Tensor[] x = new Tensor[layers];       // layer inputs
            Tensor[] dphi = new Tensor[layers];    // φ'(z) of the hidden pre-activations
            Tensor[] w = new Tensor[layers];
            x[0] = b.fromHost(inputs, n, WIDTHS[0], dtype);
            for (int l = 0; l < layers; l++) {
                w[l] = b.fromHost(params[2 * l], WIDTHS[l], WIDTHS[l + 1], dtype);
                Tensor bias = b.fromHost(params[2 * l + 1], 1, WIDTHS[l + 1], dtype);
                Tensor z = b.denseForward(x[l], w[l], bias, SIGMA_W / Math.sqrt(WIDTHS[l]), SIGMA_B);
                if (l + 1 < layers) {
                    dphi[l] = b.zeros(n, WIDTHS[l + 1], dtype);
                    b.mapDerivative(Activation.RELU, z, dphi[l]);
                    x[l + 1] = b.zeros(n, WIDTHS[l + 1], dtype);
                    b.map(Activation.RELU, z, x[l + 1]);
                }
                z.close();
            }
            // Σ_a δ_a^l·δ_a^lᵀ per layer; the output layer's deltas are one-hot, their Gram is 1 for every pair
            Tensor[] deltaGram = new Tensor[layers];
            for (int l = 0; l + 1 < layers; l++) {
                deltaGram[l] = b.zeros(n, n, dtype);
            }
            for (int a = 0; a < outputs; a++) {
                try (TensorScope perOutput = b.scope()) {
                    double[] oneHot = new double[n * outputs];
                    for (int i = 0; i < n; i++) {
                        oneHot[i * outputs + a] = 1;
                    }
                    Tensor delta = b.fromHost(oneHot, n, outputs, dtype);
                    for (int l = layers - 1; l > 0; l--) {
                        Tensor g = b.zeros(n, WIDTHS[l], dtype);
                        b.gemm(SIGMA_W / Math.sqrt(WIDTHS[l]), delta, false, w[l], true, 0, g);
                        b.hadamard(g, dphi[l - 1], g);
                        delta = g;
                        b.gemm(1, delta, false, delta, true, 1, deltaGram[l - 1]);
                    }
                }
            }
            Tensor theta = b.zeros(n, n, dtype);
            for (int l = 0; l < layers; l++) {
                Tensor inputGram = b.gram(x[l]);
                double inputScale = SIGMA_W * SIGMA_W / WIDTHS[l];
                if (l + 1 < layers) {
                    b.ntkLayerAccumulate(deltaGram[l], inputGram, inputScale, SIGMA_B * SIGMA_B, theta);
                } else {
                    b.affine(inputScale * outputs, inputGram, SIGMA_B * SIGMA_B * outputs, inputGram);
                    b.axpby(1, theta, 1, inputGram, theta);
                }
            }
            b.scale(1.0 / outputs, theta, theta);
            return scope.keep(theta);
        }
    }

    private static String entk(Backend gpu, int n, DType dtype) {
        double[][] params = parameters();
        double[] inputs = random(n * WIDTHS[0], 7);
        try (TensorScope scope = gpu.scope()) {
            long t0 = System.nanoTime();
            Tensor theta = traced(gpu, inputs, n, params, dtype);
            sync(gpu, theta);
            double seconds = (System.nanoTime() - t0) / 1e9;
            int[] first = new int[CHECK_ROWS];
            for (int i = 0; i < CHECK_ROWS; i++) {
                first[i] = i;
            }
            double[] top = gpu.toHost(gpu.gatherRows(theta, first));
            double[] sub = new double[CHECK_ROWS * WIDTHS[0]];
            System.arraycopy(inputs, 0, sub, 0, sub.length);
            double maxRel;
            try (Backend ejml = new EjmlBackendProvider().create(BackendOptions.defaults());
                 Tensor ref = traced(ejml, sub, CHECK_ROWS, params, DType.F64)) {
                double[] r = ejml.toHost(ref);
                double scale = 0;
                for (double v : r) {
                    scale = Math.max(scale, Math.abs(v));
                }
                maxRel = 0;
                for (int i = 0; i < CHECK_ROWS; i++) {
                    for (int j = 0; j < CHECK_ROWS; j++) {
                        maxRel = Math.max(maxRel, Math.abs(top[i * n + j] - r[i * CHECK_ROWS + j]) / scale);
                    }
                }
            }
            double trace = 0;
            for (int i = 0; i < CHECK_ROWS; i++) {
                trace += top[i * n + i];
            }
            return String.format(Locale.ROOT, "entk %s N=%d MLP 784-2048-2048-10 traced  %.2f s  "
                    + "(mean diag of first %d: %.4f, max rel diff vs EJML on them: %.1e)", dtype, n, seconds,
                    CHECK_ROWS, trace / CHECK_ROWS, maxRel);
        }
    }
}
