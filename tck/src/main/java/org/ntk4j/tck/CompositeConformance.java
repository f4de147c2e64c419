package org.ntk4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * Composite operations, whether a backend keeps the SPI's defaults or overrides them with fused versions:
 * {@code gram}, {@code crossGram}, {@code denseForward}, {@code denseBackward}, {@code ntkLayerAccumulate} and
 * {@code adamUpdate} against plain loops.
 */
public abstract class CompositeConformance extends ConformanceGroup {

    /** For subclasses. */
    protected CompositeConformance() {
    }

    /** n, d pairs: one sample, one feature, both, and a larger case. */
    private static final int[][] SHAPES = {{1, 1}, {1, 6}, {6, 1}, {5, 8}, {40, 33}};

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("gram is A·Aᵀ and crossGram is A·Bᵀ")
    void grams(DType dtype) {
        RandomData r = random(71, dtype);
        Tolerance tol = Tolerance.of(dtype);
        for (int[] s : SHAPES) {
            HostMatrix a = r.uniform(s[0], s[1]);
            HostMatrix b = r.uniform(s[0] + 2, s[1]);
            Tensor g = backend.gram(tensor(a, dtype));
            assertEquals(dtype, g.dtype());
            Approx.assertRounding("gram of " + a.shape(), Reference.gemm(1, a, false, a, true, 0, null), host(g),
                    Reference.gemmMagnitude(1, a, false, a, true, 0, null), s[1], tol);
            Tensor cg = backend.crossGram(tensor(a, dtype), tensor(b, dtype));
            Approx.assertRounding("crossGram of " + a.shape() + " and " + b.shape(),
                    Reference.gemm(1, a, false, b, true, 0, null), host(cg),
                    Reference.gemmMagnitude(1, a, false, b, true, 0, null), s[1], tol);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("denseForward is weightScale·X·W + biasScale·b, with a bias scale of 1 or not, and without bias")
    void denseForward(DType dtype) {
        RandomData r = random(72, dtype);
        Tolerance tol = Tolerance.of(dtype);
        for (int[] s : SHAPES) {
            int h = 3;
            HostMatrix x = r.uniform(s[0], s[1]);
            HostMatrix w = r.uniform(s[1], h);
            HostMatrix b = r.uniform(1, h);
            Tensor tx = tensor(x, dtype);
            Tensor tw = tensor(w, dtype);
            Tensor tb = tensor(b, dtype);
            double[][] scales = {{0.7, 1}, {1, 0.3}, {1.0 / Math.sqrt(s[1]), 0.1}};
            for (double[] sc : scales) {
                HostMatrix magnitude = Reference.denseForward(Reference.abs(x), Reference.abs(w), Reference.abs(b),
                        Math.abs(sc[0]), Math.abs(sc[1]));
                Approx.assertRounding("denseForward " + x.shape() + " scales " + sc[0] + ", " + sc[1],
                        Reference.denseForward(x, w, b, sc[0], sc[1]), host(backend.denseForward(tx, tw, tb, sc[0], sc[1])),
                        magnitude, s[1] + 2, tol);
            }
            HostMatrix magnitude = Reference.denseForward(Reference.abs(x), Reference.abs(w), null, 0.5, 0);
            Approx.assertRounding("denseForward without bias", Reference.denseForward(x, w, null, 0.5, 0),
                    host(backend.denseForward(tx, tw, null, 0.5, 2)), magnitude, s[1] + 1, tol);
            Approx.assertExact("denseForward leaves the bias unchanged", b, host(tb));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("denseBackward is gradW = weightScale·Xᵀ·G and gradB = biasScale·(column sums of G), bias optional")
    void denseBackward(DType dtype) {
        RandomData r = random(73, dtype);
        Tolerance tol = Tolerance.of(dtype);
        for (int[] s : SHAPES) {
            int h = 4;
            HostMatrix x = r.uniform(s[0], s[1]);
            HostMatrix g = r.uniform(s[0], h);
            for (double biasScale : new double[] {1, 0.3}) {
                Tensor gradW = tensor(filled(s[1], h, Double.NaN), dtype);
                Tensor gradB = tensor(filled(1, h, Double.NaN), dtype);
                backend.denseBackward(tensor(x, dtype), tensor(g, dtype), 0.8, biasScale, gradW, gradB);
                Approx.assertRounding("denseBackward gradW " + x.shape(), Reference.gemm(0.8, x, true, g, false, 0, null),
                        host(gradW), Reference.gemmMagnitude(0.8, x, true, g, false, 0, null), s[0], tol);
                HostMatrix sums = Reference.affine(biasScale, Reference.columnSums(g), 0);
                HostMatrix magnitude = Reference.affine(biasScale, Reference.columnSums(Reference.abs(g)), 0);
                Approx.assertRounding("denseBackward gradB, bias scale " + biasScale, sums, host(gradB), magnitude,
                        s[0] + 1, tol);
            }
            Tensor gradW = backend.zeros(s[1], h, dtype);
            backend.denseBackward(tensor(x, dtype), tensor(g, dtype), 1.5, 1, gradW, null);
            Approx.assertRounding("denseBackward without bias", Reference.gemm(1.5, x, true, g, false, 0, null),
                    host(gradW), Reference.gemmMagnitude(1.5, x, true, g, false, 0, null), s[0], tol);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("ntkLayerAccumulate adds deltaGram ⊙ (inputScale·inputGram + biasVariance) to acc")
    void ntkLayerAccumulate(DType dtype) {
        RandomData r = random(74, dtype);
        Tolerance tol = Tolerance.of(dtype);
        for (int[] s : new int[][] {{1, 1}, {1, 5}, {5, 1}, {6, 4}, {70, 90}}) {
            HostMatrix delta = r.uniform(s[0], s[1]);
            HostMatrix input = r.uniform(s[0], s[1]);
            HostMatrix acc = r.uniform(s[0], s[1]);
            for (double[] sc : new double[][] {{0.25, 0.1}, {1, 0}, {1, 1}}) {
                Tensor tDelta = tensor(delta, dtype);
                Tensor tAcc = tensor(acc, dtype);
                backend.ntkLayerAccumulate(tDelta, tensor(input, dtype), sc[0], sc[1], tAcc);
                HostMatrix magnitude = Reference.ntkLayerAccumulate(Reference.abs(delta), Reference.abs(input),
                        sc[0], sc[1], Reference.abs(acc));
                Approx.assertRounding("ntkLayerAccumulate " + delta.shape() + " scale " + sc[0] + " bias " + sc[1],
                        Reference.ntkLayerAccumulate(delta, input, sc[0], sc[1], acc), host(tAcc), magnitude, 4, tol);
                Approx.assertExact("ntkLayerAccumulate leaves deltaGram unchanged", delta, host(tDelta));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("adamUpdate computes Adam's moments and update, into new tensors or in place, in serial and parallel sizes")
    void adamUpdate(DType dtype) {
        RandomData r = random(75, dtype);
        Tolerance tol = Tolerance.of(dtype);
        double[][] settings = {{0.9, 0.999, 0.005 / (1 - Math.pow(0.9, 3)), 1 / (1 - Math.pow(0.999, 3)), 1e-8},
            {0.5, 0.25, 1.5, 1, 0.1}};
        for (int[] s : new int[][] {{1, 1}, {1, 7}, {5, 1}, {6, 4}, {300, 900}}) {
            HostMatrix g = r.uniform(s[0], s[1], -2, 2);
            HostMatrix m = r.uniform(s[0], s[1], -1, 1);
            HostMatrix v = r.uniform(s[0], s[1], 0, 1);
            for (double[] c : settings) {
                HostMatrix[] want = adamReference(g, m, v, c, false);
                HostMatrix[] magnitude = adamReference(g, m, v, c, true);
                String what = "adamUpdate " + g.shape() + " b1 " + c[0] + " b2 " + c[1];
                Tensor tg = tensor(g, dtype);
                Tensor tm = tensor(m, dtype);
                Tensor tv = tensor(v, dtype);
                Tensor mOut = tensor(filled(s[0], s[1], Double.NaN), dtype);
                Tensor vOut = tensor(filled(s[0], s[1], Double.NaN), dtype);
                Tensor uOut = tensor(filled(s[0], s[1], Double.NaN), dtype);
                backend.adamUpdate(tg, tm, tv, c[0], c[1], c[2], c[3], c[4], mOut, vOut, uOut);
                assertAdam(what, want, magnitude, new HostMatrix[] {host(mOut), host(vOut), host(uOut)}, tol);
                Approx.assertExact(what + " leaves g unchanged", g, host(tg));
                Approx.assertExact(what + " leaves m unchanged", m, host(tm));
                Approx.assertExact(what + " leaves v unchanged", v, host(tv));
                Tensor u = backend.zeros(s[0], s[1], dtype);
                backend.adamUpdate(tg, tm, tv, c[0], c[1], c[2], c[3], c[4], tm, tv, u);
                assertAdam(what + " in place", want, magnitude, new HostMatrix[] {host(tm), host(tv), host(u)}, tol);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("adamUpdate refuses tensors of different shapes and outputs that alias other arguments")
    void adamUpdateChecks(DType dtype) {
        Tensor a = backend.zeros(2, 3, dtype);
        Tensor b = backend.zeros(2, 3, dtype);
        Tensor c = backend.zeros(2, 3, dtype);
        Tensor d = backend.zeros(2, 3, dtype);
        Tensor e = backend.zeros(2, 3, dtype);
        Tensor f = backend.zeros(2, 3, dtype);
        Tensor wide = backend.zeros(3, 2, dtype);
        assertIllegalArgument(() -> backend.adamUpdate(a, b, c, 0.9, 0.999, 1, 1, 1e-8, d, e, wide),
                "adamUpdate", "2×3", "3×2");
        assertIllegalArgument(() -> backend.adamUpdate(a, b, c, 0.9, 0.999, 1, 1, 1e-8, d, e, a), "adamUpdate", "alias");
        assertIllegalArgument(() -> backend.adamUpdate(a, b, c, 0.9, 0.999, 1, 1, 1e-8, c, e, f), "adamUpdate", "alias");
    }

    /**
     * @return {mOut, vOut, uOut} by the formulas, or with magnitude set the scale of each result's rounding:
     *     |β₁m| + |(1−β₁)g|, |β₂v| + |(1−β₂)g²| and |step|·(|β₁m| + |(1−β₁)g|)/(√(vScale·vOut) + ε)
     */
    private static HostMatrix[] adamReference(HostMatrix g, HostMatrix m, HostMatrix v, double[] c,
                                              boolean magnitude) {
        int n = g.data().length;
        HostMatrix mo = HostMatrix.zeros(g.rows(), g.cols());
        HostMatrix vo = HostMatrix.zeros(g.rows(), g.cols());
        HostMatrix uo = HostMatrix.zeros(g.rows(), g.cols());
        for (int i = 0; i < n; i++) {
            double gi = g.data()[i];
            double a = c[0] * m.data()[i];
            double b = (1 - c[0]) * gi;
            double mi = magnitude ? Math.abs(a) + Math.abs(b) : a + b;
            double vi = c[1] * v.data()[i] + (1 - c[1]) * gi * gi;
            double den = Math.sqrt(c[3] * vi) + c[4];
            mo.data()[i] = mi;
            vo.data()[i] = vi;
            uo.data()[i] = magnitude ? Math.abs(c[2]) * mi / den : -c[2] * mi / den;
        }
        return new HostMatrix[] {mo, vo, uo};
    }

    private static void assertAdam(String what, HostMatrix[] want, HostMatrix[] magnitude, HostMatrix[] got,
                                   Tolerance tol) {
        Approx.assertRounding(what + ": mOut", want[0], got[0], magnitude[0], 2, tol);
        Approx.assertRounding(what + ": vOut", want[1], got[1], magnitude[1], 3, tol);
        Approx.assertRounding(what + ": uOut", want[2], got[2], magnitude[2], 10, tol);
    }
}
