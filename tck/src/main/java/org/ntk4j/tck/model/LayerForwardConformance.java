package org.ntk4j.tck.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntk4j.backend.Backend;
import org.ntk4j.nn.Parameterization;
import org.ntk4j.nn.layers.Layers;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.nn.layers.ModelParams;
import org.ntk4j.nn.layers.Padding;
import org.ntk4j.nn.layers.Shape;

/** Forward passes of the layers against plain host loops of their definitions (F64, 1e-12 relative). */
public abstract class LayerForwardConformance extends ModelConformanceGroup {

    /** For subclasses. */
    protected LayerForwardConformance() {
    }


    private static final int N = 2;



    static Stream<Arguments> convs() {
        return Stream.of(
                Arguments.of(5, 6, 2, 3, 3, 3, 1, Padding.SAME, Parameterization.NTK),
                Arguments.of(5, 6, 2, 3, 3, 3, 2, Padding.SAME, Parameterization.NTK),
                Arguments.of(6, 5, 3, 2, 2, 3, 1, Padding.SAME, Parameterization.STANDARD),
                Arguments.of(6, 5, 3, 2, 4, 2, 2, Padding.SAME, Parameterization.NTK),
                Arguments.of(5, 6, 2, 3, 3, 3, 1, Padding.VALID, Parameterization.NTK),
                Arguments.of(7, 6, 1, 2, 3, 2, 2, Padding.VALID, Parameterization.STANDARD));
    }

    @ParameterizedTest
    @MethodSource("convs")
    @DisplayName("conv: out[n,i,j,o] = s·Σ x[n, i·st+p−ph, j·st+q−pw, c]·K[p,q,c,o] + s_b·b[o], zero padding")
    void convMatchesItsDefinition(int h, int w, int c, int co, int kh, int kw, int st, Padding pad,
                                  Parameterization par) {
        double sigmaW = 1.3;
        double sigmaB = 0.4;
        Model m = Model.of(Shape.image(h, w, c), Layers.conv(co, kh, kw, st, pad, par, sigmaW, sigmaB, true));
        ModelParams p = m.init(3);
        double[] k = p.get("0/K");
        double[] b = p.get("0/b");
        double[] x = LayerTesting.values(4, N * h * w * c);
        int ph = pad == Padding.SAME ? (kh - 1) / 2 : 0;
        int pw = pad == Padding.SAME ? (kw - 1) / 2 : 0;
        int oh = pad == Padding.SAME ? (h + st - 1) / st : (h - kh) / st + 1;
        int ow = pad == Padding.SAME ? (w + st - 1) / st : (w - kw) / st + 1;
        assertEquals(Shape.image(oh, ow, co), m.outputShape());
        boolean ntk = par == Parameterization.NTK;
        double s = ntk ? sigmaW / Math.sqrt(kh * kw * c) : 1;
        double sb = ntk ? sigmaB : 1;
        double[] expected = new double[N * oh * ow * co];
        for (int n = 0; n < N; n++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int o = 0; o < co; o++) {
                        double acc = 0;
                        for (int pp = 0; pp < kh; pp++) {
                            for (int q = 0; q < kw; q++) {
                                int y = i * st + pp - ph;
                                int xx = j * st + q - pw;
                                if (y < 0 || y >= h || xx < 0 || xx >= w) {
                                    continue;
                                }
                                for (int cc = 0; cc < c; cc++) {
                                    acc += x[((n * h + y) * w + xx) * c + cc] * k[((pp * kw + q) * c + cc) * co + o];
                                }
                            }
                        }
                        expected[((n * oh + i) * ow + j) * co + o] = s * acc + sb * b[o];
                    }
                }
            }
        }
        double[] actual = LayerTesting.forward(be, m, LayerTesting.flat(p), x, N);
        LayerTesting.assertRelClose(expected, actual, 1e-12, m.toString());
    }

    @Test
    @DisplayName("conv initialization: K (kh, kw, C_in, C_out) ~ N(0, σ_w²/fan_in) in standard parameterization")
    void convInitialization() {
        Model m = Model.of(Shape.image(6, 6, 4), Layers.conv(16, 3, 3, 1, Padding.SAME, Parameterization.STANDARD,
                2, 0.5, true));
        assertArrayEquals(new int[] {3, 3, 4, 16}, m.parameters().get(0).shape());
        double[] k = m.init(1).get("0/K");
        double var = 0;
        for (double v : k) {
            var += v * v / k.length;
        }
        // 576 draws: the sample variance of N(0, 4/36) lies within 5 standard errors (√(2/576)·σ²)
        assertEquals(4.0 / 36, var, 5 * Math.sqrt(2.0 / k.length) * 4.0 / 36);
    }

    @ParameterizedTest
    @MethodSource("pools")
    @DisplayName("avgPool: the mean over each VALID window")
    void avgPoolMatchesItsDefinition(int h, int w, int c, int win, int st) {
        Model m = Model.of(Shape.image(h, w, c), Layers.avgPool(win, st));
        int oh = (h - win) / st + 1;
        int ow = (w - win) / st + 1;
        double[] x = LayerTesting.values(5, N * h * w * c);
        double[] expected = new double[N * oh * ow * c];
        for (int n = 0; n < N; n++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int cc = 0; cc < c; cc++) {
                        double acc = 0;
                        for (int p = 0; p < win; p++) {
                            for (int q = 0; q < win; q++) {
                                acc += x[((n * h + i * st + p) * w + j * st + q) * c + cc];
                            }
                        }
                        expected[((n * oh + i) * ow + j) * c + cc] = acc / (win * win);
                    }
                }
            }
        }
        assertEquals(Shape.image(oh, ow, c), m.outputShape());
        LayerTesting.assertRelClose(expected, LayerTesting.forward(be, m, new double[0], x, N), 1e-12, m.toString());
    }

    static Stream<Arguments> pools() {
        return Stream.of(Arguments.of(4, 6, 2, 2, 2), Arguments.of(5, 5, 1, 3, 1), Arguments.of(7, 5, 3, 2, 3));
    }

    @Test
    @DisplayName("globalAvgPool: the channel means over all positions")
    void globalAvgPool() {
        int h = 3;
        int w = 4;
        int c = 2;
        Model m = Model.of(Shape.image(h, w, c), Layers.globalAvgPool());
        double[] x = LayerTesting.values(6, N * h * w * c);
        double[] expected = new double[N * c];
        for (int n = 0; n < N; n++) {
            for (int pos = 0; pos < h * w; pos++) {
                for (int cc = 0; cc < c; cc++) {
                    expected[n * c + cc] += x[(n * h * w + pos) * c + cc] / (h * w);
                }
            }
        }
        assertEquals(Shape.vector(c), m.outputShape());
        LayerTesting.assertRelClose(expected, LayerTesting.forward(be, m, new double[0], x, N), 1e-12, "gap");
    }

    @Test
    @DisplayName("flatten: (H, W, C) → (H·W·C), values unchanged (row-major)")
    void flatten() {
        Model m = Model.of(Shape.image(2, 3, 2), Layers.flatten());
        double[] x = LayerTesting.values(7, N * 12);
        assertEquals(Shape.vector(12), m.outputShape());
        assertArrayEquals(x, LayerTesting.forward(be, m, new double[0], x, N));
    }

    @Test
    @DisplayName("layerNorm: (x − mean)/√(var + 1e-12) over each sample's features")
    void layerNorm() {
        int d = 12;
        Model m = Model.of(Shape.image(2, 2, 3), Layers.layerNorm());
        double[] x = LayerTesting.values(8, N * d);
        double[] expected = new double[N * d];
        for (int n = 0; n < N; n++) {
            double mean = 0;
            for (int i = 0; i < d; i++) {
                mean += x[n * d + i] / d;
            }
            double var = 0;
            for (int i = 0; i < d; i++) {
                var += (x[n * d + i] - mean) * (x[n * d + i] - mean) / d;
            }
            for (int i = 0; i < d; i++) {
                expected[n * d + i] = (x[n * d + i] - mean) / Math.sqrt(var + 1e-12);
            }
        }
        LayerTesting.assertRelClose(expected, LayerTesting.forward(be, m, new double[0], x, N), 1e-12, "layerNorm");
    }

    @Test
    @DisplayName("a layer that cannot take its input says which layer and which shape")
    void badShapesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Model.of(Shape.image(4, 4, 1), Layers.dense(3)));
        assertTrue(e.getMessage().contains("dense(3)") && e.getMessage().contains("(4, 4, 1)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Model.of(Shape.vector(8), Layers.conv(2, 3, 3)));
        assertTrue(e.getMessage().contains("conv(2, 3x3, SAME)") && e.getMessage().contains("(8)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Model.of(Shape.image(2, 2, 1), Layers.avgPool(3, 1)));
        assertTrue(e.getMessage().contains("avgPool(3, 1)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Model.of(Shape.vector(4), Layers.residual(Layers.dense(3))));
        assertTrue(e.getMessage().contains("(4) to (3)"), e.getMessage());
    }
}
