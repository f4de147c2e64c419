package org.ntk4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.SymmetricEigen;
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
 * Dense linear algebra on n×n F64 matrices: GEMM (2n³ flops), the Gram matrix of n×64 inputs, Cholesky and LU
 * solves of K + I with 10 right-hand sides (K a Gram matrix, so well conditioned), and the symmetric
 * eigendecomposition. Each result is copied back to the host, as a caller would see it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx6g")
public class LinalgBenchmark extends BackendState {

    /** The matrix order n. */
    @Param({"256", "1024", "2560"})
    public int n;

    private Tensor a;
    private Tensor b;
    private Tensor c;
    private Tensor x;
    private Tensor spd;
    private Tensor rhs;
    private Tensor out;

    @Override
    protected void prepare(Backend be, SplittableRandom random) {
        a = random(be, random, n, n);
        b = random(be, random, n, n);
        c = be.zeros(n, n, DType.F64);
        x = random(be, random, n, 64);
        Tensor g = be.zeros(n, n, DType.F64);
        be.gemm(1.0 / n, a, false, a, true, 0, g);
        double[] host = be.toHost(g);
        for (int i = 0; i < n; i++) {
            host[i * n + i] += 1;
        }
        spd = be.fromHost(host, n, n, DType.F64);
        rhs = random(be, random, n, 10);
        out = be.zeros(n, 10, DType.F64);
    }

    /** @return C = A·B, on the host */
    @Benchmark
    public double[] gemm() {
        backend().gemm(1, a, false, b, false, 0, c);
        return backend().toHost(c);
    }

    /** @return X·Xᵀ of n×64 inputs, on the host */
    @Benchmark
    public double[] gram() {
        backend().gemm(1, x, false, x, true, 0, c);
        return backend().toHost(c);
    }

    /** @return the Cholesky solve of (K + I)·X = B, on the host */
    @Benchmark
    public double[] cholesky() {
        backend().choleskySolve(spd, rhs, out);
        return backend().toHost(out);
    }

    /** @return the LU solve of (K + I)·X = B, on the host */
    @Benchmark
    public double[] lu() {
        backend().luSolve(spd, rhs, out);
        return backend().toHost(out);
    }

    /** @return the eigenvalues of K + I, on the host */
    @Benchmark
    public double[] eigen() {
        try (SymmetricEigen e = backend().symmetricEigen(spd)) {
            return backend().toHost(e.values());
        }
    }
}
