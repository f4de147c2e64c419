package org.ntk4j.backend.ejml.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.ejml.nn.TestBackends;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.Digits;
import org.ntk4j.data.Split;
import org.ntk4j.kernel.AnalyticNtk;
import org.ntk4j.predict.KernelRegression;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * Infinite-width kernel regression on the digits split. The reference values come from an independent
 * NumPy implementation of the same recursion (float64, numpy.linalg.solve), run on the same split: NTK
 * test accuracy 357/359 = 0.9944, NNGP 358/359 = 0.9972.
 */
class DigitsRegressionTest {

    private static Backend be;
    private static Split split;

    @BeforeAll
    static void open() {
        be = TestBackends.ejml();
        split = Digits.standardSplit();
    }

    @AfterAll
    static void shut() {
        be.close();
    }

    @Test
    @DisplayName("the default analytic kernel equals the NumPy reference on digits")
    void kernelEqualsNumpy() {
        AnalyticNtk k = KernelRegression.defaults().kernel().withMeterRegistry(null);
        Dataset tr = split.train();
        Dataset te = split.test();
        try (TensorScope s = be.scope()) {
            Tensor x = be.fromHost(java.util.Arrays.copyOf(tr.features(), 6 * 64), 6, 64, DType.F64);
            Tensor xt = be.fromHost(java.util.Arrays.copyOf(te.features(), 2 * 64), 2, 64, DType.F64);
            AnalyticNtk.Kernels self = k.compute(be, x, null);
            AnalyticNtk.Kernels cross = k.compute(be, xt, x);
            double[] t = be.toHost(self.ntk());
            double[] c = be.toHost(cross.ntk());
            assertEquals(0.6594839243507168, t[1], 1e-12);
            assertEquals(1.185732421875001, t[3 * 6 + 3], 1e-8); // diagonal: arccos(1 − ε) rounding, see AnalyticNtkTest
            assertEquals(0.7656404775414076, c[5], 1e-12);
            assertEquals(0.3330755634005829, be.toHost(self.nngp())[1], 1e-12);
            assertEquals(0.3979217661691752, be.toHost(cross.nngp())[6 + 2], 1e-12);
        }
    }

    @Test
    @DisplayName("NTK regression reaches at least 0.985 test accuracy, NNGP too")
    void accuracy() {
        KernelRegression.Result ntk = KernelRegression.defaults().fit(be, split);
        KernelRegression.Result nngp = KernelRegression.defaults().withKernel(KernelRegression.Kernel.NNGP).fit(be, split);
        System.out.println("digits NTK accuracy " + ntk.accuracy() + ", NNGP " + nngp.accuracy());
        assertTrue(ntk.accuracy() >= 0.985, "NTK accuracy " + ntk.accuracy());
        assertTrue(nngp.accuracy() >= 0.985, "NNGP accuracy " + nngp.accuracy());
        assertEquals(split.test().size(), ntk.predicted().length);
    }
}
