package org.ntk4j.bench;

import io.micrometer.core.instrument.Clock;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.nn.Loss;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Params;
import org.ntk4j.optim.ProximalNtk;
import org.ntk4j.optim.Update;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.train.MlpObjective;
import org.ntk4j.train.PhaseTimes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One proximal-ntk step on a batch of m random inputs, MLP 64-256-256-10, MSE on random one-hot targets: the
 * full (10m)² batch kernel, the Cholesky solve with damping 1e-3 relative to the mean trace, one backward pass,
 * taken as it comes (no trial loss): the job of the reference script {@code proximal_step.py m 64 256}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx6g")
public class ProximalStepBenchmark extends BackendState {

    /** The batch size m. */
    @Param({"64", "256"})
    public int batch;

    private final Mlp mlp = Mlp.builder(64, 256, 256, 10).activation(Activation.RELU).build();
    private final ProximalNtk step = ProximalNtk.defaults().withDamping(1e-3, true, false);
    private Params params;
    private Tensor x;
    private Tensor y;

    @Override
    protected void prepare(Backend be, SplittableRandom random) {
        params = mlp.init(0).upload(be, DType.F64);
        x = random(be, random, batch, 64);
        double[] onehot = new double[batch * 10];
        for (int i = 0; i < batch; i++) {
            onehot[i * 10 + random.nextInt(10)] = 1;
        }
        y = be.fromHost(onehot, batch, 10, DType.F64);
    }

    /** @return the squared norm of the update */
    @Benchmark
    public double step() {
        MlpObjective objective = new MlpObjective(mlp, Loss.MSE, x, y, new EmpiricalNtk(mlp).withMeterRegistry(null),
                new PhaseTimes(Clock.SYSTEM), null);
        Update<ProximalNtk.State> u = step.update(objective, step.init(params), params);
        try (Params updates = u.updates()) {
            return updates.normSquared();
        } finally {
            u.state().close();
        }
    }
}
