package org.ntk4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * Composite operations, whether a backend keeps the SPI's defaults or overrides them with fused versions:
 * {@code gram}, {@code crossGram}, {@code denseForward}, {@code denseBackward} and {@code ntkLayerAccumulate}
 * against plain loops.
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
}
