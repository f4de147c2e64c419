package org.ntk4j.it.app;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendUnavailableException;
import org.ntk4j.backend.Backends;
import org.ntk4j.backend.ProviderStatus;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.Digits;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Params;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * Selects a backend by the usual rules ({@code -Dntk4j.backend}, {@code NTK4J_BACKEND}, or the best
 * available) and computes, on the first {@value #SAMPLES} bundled digits, the infinite-width NNGP and NTK of a
 * one-hidden-layer ReLU network from backend primitives, and the full empirical NTK of the seeded network
 * {@link #NETWORK} with the library's {@link EmpiricalNtk}.
 *
 * <p>Output on standard output, one {@code key=value} per line: {@code report=} once per provider found
 * (its {@link ProviderStatus} line), {@code selected=} the backend's name, {@code module=} the API's module
 * name (empty on the classpath), {@code backend.module=} the backend class's module name, and
 * {@code nngp=}, {@code ntk=} and {@code entk=} the kernels as {@code rows×cols:v,v,…} with every value to 17 digits.
 *
 * <p>Exit status: 0 on success; 1 when no backend can be created (the reason on standard error, starting
 * with {@code error: }); 2 on any other failure.
 */
public final class KernelProbe {

    /** The number of digits the kernels are computed on. */
    public static final int SAMPLES = 8;
    /** The weight standard deviation σ_w. */
    public static final double SIGMA_W = 1.5;
    /** The bias standard deviation σ_b. */
    public static final double SIGMA_B = 0.1;

    /** The network of the empirical NTK: 64-16-3, ReLU, NTK parameterization, σ_w = 1.5, σ_b = 0.1. */
    public static final Mlp NETWORK = Mlp.builder(64, 16, 3).sigmaW(SIGMA_W).sigmaB(SIGMA_B).build();
    /** The seed of its parameters. */
    public static final long SEED = 1;

    private KernelProbe() {
    }

    /**
     * Runs the probe and exits with its status.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.exit(run(System.out, System.err));
    }

    /**
     * @param out where the results go (written to)
     * @param err where errors go (written to)
     * @return the exit status
     */
    static int run(PrintStream out, PrintStream err) {
        try {
            for (ProviderStatus s : Backends.report()) {
                out.println("report=" + s);
            }
            out.println("module=" + nameOf(Backends.class.getModule()));
            try (Backend backend = Backends.create()) {
                out.println("selected=" + backend.name());
                out.println("backend.module=" + nameOf(backend.getClass().getModule()));
                Dataset digits = Digits.load().scaled(1.0 / 16);
                double[] x = Arrays.copyOf(digits.features(), SAMPLES * digits.dims());
                double[][] kernels = kernels(backend, x, SAMPLES, digits.dims());
                out.println("nngp=" + format(kernels[0], SAMPLES));
                out.println("ntk=" + format(kernels[1], SAMPLES));
                out.println("entk=" + format(empirical(backend, x, SAMPLES), SAMPLES * NETWORK.outputDim()));
            }
            out.flush();
            return 0;
        } catch (BackendUnavailableException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (RuntimeException | LinkageError e) {
            e.printStackTrace(err);
            return 2;
        }
    }

    /**
     * The NNGP and NTK of dense(σ_w, σ_b) → ReLU → dense(σ_w, σ_b) at infinite width: Σ⁰ = X·Xᵀ/d,
     * Σ¹ = Θ¹ = σ_w²·Σ⁰ + σ_b², Σ² = σ_w²·E[φφ] + σ_b², Θ² = Σ² + σ_w²·Θ¹ ⊙ E[φ'φ'].
     *
     * @param backend the backend to compute on (not modified)
     * @param x n×d inputs, row-major (not modified)
     * @param n samples
     * @param d features
     * @return {NNGP, NTK}, each n×n row-major
     */
    static double[][] kernels(Backend backend, double[] x, int n, int d) {
        try (TensorScope scope = backend.scope()) {
            Tensor input = backend.fromHost(x, n, d, DType.F64);
            Tensor sigma = backend.zeros(n, n, DType.F64);
            backend.gemm(SIGMA_W * SIGMA_W / d, input, false, input, true, 0, sigma);
            backend.affine(1, sigma, SIGMA_B * SIGMA_B, sigma);
            Tensor q = backend.zeros(n, 1, DType.F64);
            backend.rowSumsOfSquares(input, q);
            backend.affine(SIGMA_W * SIGMA_W / d, q, SIGMA_B * SIGMA_B, q);
            Tensor k = backend.zeros(n, n, DType.F64);
            Tensor kdot = backend.zeros(n, n, DType.F64);
            backend.dualMap(Activation.RELU, sigma, q, q, k, kdot);
            Tensor nngp = backend.zeros(n, n, DType.F64);
            backend.affine(SIGMA_W * SIGMA_W, k, SIGMA_B * SIGMA_B, nngp);
            Tensor ntk = backend.zeros(n, n, DType.F64);
            backend.hadamard(sigma, kdot, ntk);
            backend.axpby(1, nngp, SIGMA_W * SIGMA_W, ntk, ntk);
            return new double[][] {backend.toHost(nngp), backend.toHost(ntk)};
        }
    }

    /**
     * @param backend the backend to compute on (not modified)
     * @param x n×64 inputs, row-major (not modified)
     * @param n samples
     * @return the full (n·O × n·O) empirical NTK of {@link #NETWORK} at seed {@link #SEED}, row-major
     */
    static double[] empirical(Backend backend, double[] x, int n) {
        try (TensorScope scope = backend.scope()) {
            Params params = NETWORK.init(SEED).upload(backend, DType.F64);
            Tensor input = backend.fromHost(x, n, NETWORK.inputDim(), DType.F64);
            return backend.toHost(new EmpiricalNtk(NETWORK).compute(params, input, OutputAxes.FULL));
        }
    }

    private static String nameOf(Module module) {
        return module.isNamed() ? module.getName() : "";
    }

    private static String format(double[] values, int rows) {
        return rows + "×" + values.length / rows + ":" + Arrays.stream(values)
                .mapToObj(v -> String.format(Locale.ROOT, "%.17g", v)).collect(Collectors.joining(","));
    }
}
