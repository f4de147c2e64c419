package org.ntk4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The element-wise activation duals of the analytic kernels on an n×n covariance matrix: the ReLU arc-cosine
 * closed form, the ERF closed form and TANH by quadrature; {@code dual} alone ({@code dualMap}) and {@code layer},
 * the dual fused with the dense layer after it ({@code dualLayer}), as the analytic kernels run it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx6g")
public class DualsBenchmark extends BackendState {

    /** The matrix order n. */
    @Param({"1000", "5000"})
    public int n;

    /** The activation whose dual is computed: closed forms for RELU and ERF, quadrature for TANH. */
    @Param({"RELU", "ERF", "TANH"})
    public Activation.Kind activation;

    private Tensor k;
    private Tensor q;
    private Tensor outK;
    private Tensor outKdot;
    private Tensor sigma;
    private Tensor theta;

    @Override
    protected void prepare(Backend be, SplittableRandom random) {
        Tensor x = random(be, random, n, 32);
        k = be.zeros(n, n, DType.F64);
        be.gemm(1.0 / 32, x, false, x, true, 0, k);
        q = be.zeros(n, 1, DType.F64);
        be.rowSumsOfSquares(x, q);
        be.scale(1.0 / 32, q, q);
        outK = be.zeros(n, n, DType.F64);
        outKdot = be.zeros(n, n, DType.F64);
        sigma = be.zeros(n, n, DType.F64);
        theta = be.zeros(n, n, DType.F64);
    }

    /** @return E[φ'(u)φ'(v)] of every pair, on the host */
    @Benchmark
    public double[] dual() {
        backend().dualMap(new Activation.Builtin(activation, 0), k, q, q, outK, outKdot);
        return backend().toHost(outKdot);
    }

    /**
     * One layer of the analytic kernel on the covariances (copied into the working kernel first, one pass, so that
     * every invocation starts from the same values): σ_w² = 2, σ_b² = 0.01.
     *
     * @return the NTK after the layer, on the host
     */
    @Benchmark
    public double[] layer() {
        Backend be = backend();
        be.axpby(1, k, 0, k, sigma);
        be.axpby(1, k, 0, k, theta);
        be.dualLayer(new Activation.Builtin(activation, 0), sigma, q, q, 2, 0.01, theta);
        return be.toHost(theta);
    }
}
