package org.ntk4j.backend.ejml.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.Backends;
import org.ntk4j.nn.Params;
import org.ntk4j.optim.Adam;
import org.ntk4j.optim.Momentum;
import org.ntk4j.optim.Objective;
import org.ntk4j.optim.Optimizer;
import org.ntk4j.optim.OptimizerOptions;
import org.ntk4j.optim.OptimizerState;
import org.ntk4j.optim.Optimizers;
import org.ntk4j.optim.Sgd;
import org.ntk4j.optim.Update;
import org.ntk4j.tensor.DType;

/** The first-order optimizers on EJML: convergence on a parabola and Rosenbrock, Adam against a reference. */
class GradientOptimizersTest {

    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = Backends.create("ejml");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private Params vector(double... x) {
        return TestParams.of(backend.fromHost(x, 1, x.length, DType.F64));
    }

    /** Runs n steps from x0 and returns the final point. */
    private static <S extends OptimizerState> double[] run(Optimizer<S> opt, Objective obj, Params x0, int n) {
        Params x = x0;
        S state = opt.init(x);
        for (int i = 0; i < n; i++) {
            Update<S> u = opt.update(obj, state, x);
            Params next = Optimizers.applyUpdates(x, u.updates());
            u.updates().close();
            state.close();
            x.close();
            x = next;
            state = u.state();
        }
        double[] out = backend.toHost(x.tensor(0));
        x.close();
        state.close();
        return out;
    }

    @Test
    @DisplayName("sgd, momentum, Nesterov and adam reach the minimum of an ill-conditioned parabola")
    void parabola() {
        double[] a = {1, 10, 0.5};
        double[] c = {3, -2, 1};
        HostFunctionObjective obj = HostFunctionObjective.parabola(backend, a, c);
        for (Optimizer<?> opt : List.of(Optimizers.create("sgd", OptimizerOptions.of("lr", 0.15)),
                Optimizers.create("momentum", OptimizerOptions.of("lr", 0.05)),
                Optimizers.create("momentum", OptimizerOptions.of("lr", 0.05).with("nesterov", true)),
                Optimizers.create("adam", OptimizerOptions.of("lr", 0.05)))) {
            double[] x = run(opt, obj, vector(0, 0, 0), 600);
            assertArrayEquals(c, x, 1e-4, opt.toString());
        }
    }

    @Test
    @DisplayName("sgd on a parabola follows the closed form x_t − c = (1 − lr·a)^t (x_0 − c)")
    void sgdClosedForm() {
        double[] a = {1, 4};
        double[] c = {1, 2};
        double[] x = run(new Sgd(0.1), HostFunctionObjective.parabola(backend, a, c), vector(0, 0), 7);
        for (int i = 0; i < 2; i++) {
            assertEquals(c[i] + Math.pow(1 - 0.1 * a[i], 7) * (0 - c[i]), x[i], 1e-14);
        }
    }

    @Test
    @DisplayName("adam and Nesterov momentum find Rosenbrock's minimum at (1, 1)")
    void rosenbrock() {
        HostFunctionObjective obj = HostFunctionObjective.rosenbrock(backend);
        double[] xa = run(Adam.withLearningRate(0.02), obj, vector(-1.2, 1), 6000);
        assertArrayEquals(new double[] {1, 1}, xa, 1e-3, "adam");
        double[] xm = run(new Momentum(1e-3, 0.9, true), obj, vector(-1.2, 1), 20000);
        assertArrayEquals(new double[] {1, 1}, xm, 1e-3, "nesterov");
    }

    @Test
    @DisplayName("adam's first three steps match a hand computation (numpy) to 1e-15")
    void adamFirstSteps() {
        double[][] grads = {{0.5, -2.0, 0.0, 3.0}, {0.1, -1.0, 0.2, -3.0}, {-0.4, 0.3, 0.0, 1.0}};
        double[][] expected = {
            {0.900000002, 2.0999999995, -1.0, 0.4000000003333333},
            {0.8196959063846518, 2.1932179627914894, -1.0744136770961723, 0.4052631582105263},
            {0.8103259663582117, 2.256132695486883, -1.131935664250402, 0.39455711714017805}};
        Adam adam = new Adam(0.1, 0.9, 0.999, 1e-8);
        Params x = vector(1.0, 2.0, -1.0, 0.5);
        Adam.State s = adam.init(x);
        for (int t = 0; t < 3; t++) {
            Params g = vector(grads[t]);
            Update<Adam.State> u = adam.update(g, s, x);
            x = Optimizers.applyUpdates(x, u.updates());
            s = u.state();
            assertArrayEquals(expected[t], backend.toHost(x.tensor(0)), 1e-15, "step " + (t + 1));
            assertEquals(t + 1, s.count());
        }
    }

    @Test
    @DisplayName("updates are pure: the gradient, state and parameters passed in are not modified")
    void pure() {
        Momentum m = new Momentum(0.1, 0.9, false);
        Params x = vector(1, 2);
        Params g = vector(0.5, -0.5);
        Momentum.State s0 = m.update(g, m.init(x), x).state();
        double[] v0 = backend.toHost(s0.velocity().tensor(0));
        Update<Momentum.State> u1 = m.update(g, s0, x);
        assertArrayEquals(v0, backend.toHost(s0.velocity().tensor(0)));
        assertArrayEquals(new double[] {1, 2}, backend.toHost(x.tensor(0)));
        assertArrayEquals(new double[] {0.5, -0.5}, backend.toHost(g.tensor(0)));
        // heavy ball: v1 = g + 0.9·g, u = −0.1·v1
        assertArrayEquals(new double[] {-0.095, 0.095}, backend.toHost(u1.updates().tensor(0)), 1e-15);
    }

    @Test
    @DisplayName("a state rebuilt from its scalars and tensors continues identically")
    void restore() {
        Adam adam = Adam.withLearningRate(0.1);
        Params x = vector(1, 2);
        Adam.State s = adam.update(vector(0.3, -0.2), adam.init(x), x).state();
        Adam.State r = adam.restore(s.scalars(), List.of(backend.copy(s.tensors().get(0)),
                backend.copy(s.tensors().get(1))), x);
        Params g = vector(0.1, 0.4);
        assertArrayEquals(backend.toHost(adam.update(g, s, x).updates().tensor(0)),
                backend.toHost(adam.update(g, r, x).updates().tensor(0)));
        assertThrows(IllegalArgumentException.class, () -> adam.restore(new double[] {1}, List.of(), x));
    }

    @Test
    @DisplayName("the service loader finds the built-in optimizers; unknown names and options fail, listing the known")
    void registry() {
        assertTrue(Optimizers.names().containsAll(List.of("sgd", "momentum", "adam", "proximal-ntk")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizers.create("adamw"));
        assertTrue(e.getMessage().contains("adamw") && e.getMessage().contains("proximal-ntk"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.create("adam", OptimizerOptions.of("learning_rate", 0.1)));
        assertTrue(e.getMessage().contains("learning_rate") && e.getMessage().contains("b1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.create("sgd", OptimizerOptions.of("lr", "fast")));
        assertTrue(e.getMessage().contains("lr") && e.getMessage().contains("fast"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Optimizers.create("sgd", OptimizerOptions.of("lr", -1)));
        assertEquals("adam", Optimizers.create("ADAM").name());
        OptimizerOptions o = OptimizerOptions.of("lr", 0.1);
        OptimizerOptions o2 = o.with("b1", 0.8);
        assertEquals(1, o.keys().size(), "with returns a copy");
        assertEquals(0.8, o2.getDouble("b1", 0), 0);
    }
}
