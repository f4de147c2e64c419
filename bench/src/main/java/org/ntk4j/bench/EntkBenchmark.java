package org.ntk4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Params;
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
 * The traced empirical NTK of N random inputs through an MLP d-W-W-10 (ReLU, NTK parameterization, biases), in
 * F64 or F32: with the defaults, the job of the reference script {@code entk_structured.py N 1024 784}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx6g")
public class EntkBenchmark extends BackendState {

    /** The number of samples N. */
    @Param({"512", "2048"})
    public int samples;

    /** The hidden width W. */
    @Param({"1024"})
    public int width;

    /** The input dimension d. */
    @Param({"784"})
    public int dims;

    /** The element type (EJML has F64 only). */
    @Param({"F64"})
    public DType dtype;

    private EmpiricalNtk ntk;
    private Params params;
    private Tensor x;

    @Override
    protected void prepare(Backend be, SplittableRandom random) {
        Mlp mlp = Mlp.builder(dims, width, width, 10).activation(Activation.RELU).build();
        ntk = new EmpiricalNtk(mlp).withMeterRegistry(null);
        params = mlp.init(0).upload(be, dtype);
        Tensor x64 = random(be, random, samples, dims);
        x = dtype == DType.F64 ? x64 : be.fromHost(be.toHost(x64), samples, dims, dtype);
    }

    /** @return the N×N kernel, on the host */
    @Benchmark
    public double[] traced() {
        try (Tensor k = ntk.compute(params, x, OutputAxes.TRACED)) {
            return backend().toHost(k);
        }
    }
}
