package org.ntk4j.backend.ejml.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.Backends;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.Digits;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.nn.Loss;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Params;
import org.ntk4j.optim.OptimizerOptions;
import org.ntk4j.optim.Optimizers;
import org.ntk4j.optim.ProximalNtk;
import org.ntk4j.optim.Update;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.train.MlpObjective;
import org.ntk4j.train.PhaseTimes;

/** The proximal NTK step on a real (nonlinear) network. */
class ProximalNtkMlpTest {

    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = Backends.create("ejml");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Loss.class)
    @DisplayName("on an MLP, steps from a tiny damping never raise the batch loss, and the loss falls")
    void monotoneOnMlp(Loss loss) {
        Dataset d = Digits.standardSplit().train();
        int[] rows = new int[24];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = 37 * i;
        }
        Dataset batch = d.subset(rows, "batch");
        Mlp mlp = Mlp.builder(64, 16, 10).sigmaW(Math.sqrt(2)).build();
        Tensor x = backend.fromHost(batch.features(), batch.size(), 64, DType.F64);
        Tensor y = backend.fromHost(batch.oneHot(), batch.size(), 10, DType.F64);
        MlpObjective obj = new MlpObjective(mlp, loss, x, y, new EmpiricalNtk(mlp).withMeterRegistry(null),
                new PhaseTimes(Clock.SYSTEM), null);
        ProximalNtk opt = (ProximalNtk) Optimizers.create("proximal-ntk",
                OptimizerOptions.of("damping", 1e-8).with("min-damping", 1e-9).with("shrink", 0.1));
        Params p = mlp.init(5).upload(backend, DType.F64);
        ProximalNtk.State s = opt.init(p);
        double first = obj.loss(p);
        for (int it = 0; it < 8; it++) {
            double before = obj.loss(p);
            Update<ProximalNtk.State> u = opt.update(obj, s, p);
            Params next = Optimizers.applyUpdates(p, u.updates());
            double after = obj.loss(next);
            assertTrue(after <= before, loss + " iteration " + it + ": " + before + " → " + after);
            p = next;
            s = u.state();
        }
        // the squared error's quadratic model is exact in the outputs; softmax cross-entropy's is poor far from the
        // optimum (H = diag(p) − ppᵀ is small), so the damping must grow to near-gradient steps and progress is slower
        double factor = loss == Loss.MSE ? 0.1 : 0.6;
        assertTrue(obj.loss(p) < factor * first, loss + ": the batch loss fell from " + first + " to " + obj.loss(p));
        assertTrue(s.rejected() > 0, "the test must exercise rejections");
    }
}
