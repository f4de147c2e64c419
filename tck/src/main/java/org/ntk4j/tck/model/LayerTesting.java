package org.ntk4j.tck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ntk4j.backend.Backend;
import org.ntk4j.nn.Params;
import org.ntk4j.nn.layers.LayerTrace;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.nn.layers.ModelParams;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * Host references shared by the model conformance groups (and usable by other tests): forward passes of host
 * values, finite-difference Jacobians and their contractions.
 */
public final class LayerTesting {

    /** The step of the central differences. */
    public static final double H = 1e-5;

    private LayerTesting() {
    }

    /**
     * @param seed the seed
     * @param n how many values
     * @return values uniform in ±[0.05, 1): away from the kinks of ReLU-like activations at 0
     */
    public static double[] values(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double m = r.nextDouble(0.05, 1);
            v[i] = r.nextBoolean() ? m : -m;
        }
        return v;
    }

    /**
     * @param be the backend
     * @param model the model
     * @param params host parameters, flat in the model's order (not modified)
     * @param x host inputs, row-major n × input-size (not modified)
     * @param n the number of samples
     * @return the outputs, row-major n × O
     */
    public static double[] forward(Backend be, Model model, double[] params, double[] x, int n) {
        List<Tensor> p = tensors(be, model, params);
        try (Tensor xt = be.fromHost(x, n, model.inputShape().size(), DType.F64);
             LayerTrace t = model.forward(be, p, xt)) {
            return be.toHost(t.output());
        } finally {
            p.forEach(Tensor::close);
        }
    }

    /**
     * @param be the backend
     * @param model the model
     * @param flat parameter values in the model's order (not modified)
     * @return new tensors on the backend, possibly none
     */
    public static List<Tensor> tensors(Backend be, Model model, double[] flat) {
        List<Tensor> out = new ArrayList<>();
        int off = 0;
        for (var s : model.parameters()) {
            double[] v = new double[s.size()];
            System.arraycopy(flat, off, v, 0, v.length);
            off += v.length;
            out.add(be.fromHost(v, s.rows(), s.cols(), DType.F64));
        }
        return out;
    }

    /**
     * @param be the backend
     * @param model the model
     * @param flat parameter values in the model's order (not modified)
     * @return new parameters on the backend
     */
    public static Params upload(Backend be, Model model, double[] flat) {
        List<double[]> values = new ArrayList<>();
        int off = 0;
        for (var s : model.parameters()) {
            double[] v = new double[s.size()];
            System.arraycopy(flat, off, v, 0, v.length);
            off += v.length;
            values.add(v);
        }
        return new ModelParams(model, values).toBackend(be, DType.F64);
    }

    /**
     * @param p host parameters
     * @return their values concatenated in the model's order
     */
    public static double[] flat(ModelParams p) {
        List<double[]> parts = new ArrayList<>();
        int total = 0;
        for (String name : p.model().parameterNames()) {
            double[] v = p.get(name);
            parts.add(v);
            total += v.length;
        }
        double[] out = new double[total];
        int off = 0;
        for (double[] v : parts) {
            System.arraycopy(v, 0, out, off, v.length);
            off += v.length;
        }
        return out;
    }

    /**
     * The Jacobian of the outputs with respect to the parameters by central differences, one column per
     * parameter: row i·O + a is sample i, output a.
     *
     * @return (n·O) × P, row-major as rows
     */
    public static double[][] jacobian(Backend be, Model model, double[] params, double[] x, int n) {
        int rows = n * model.outputDim();
        double[][] j = new double[rows][params.length];
        double[] p = params.clone();
        for (int c = 0; c < params.length; c++) {
            p[c] = params[c] + H;
            double[] plus = forward(be, model, p, x, n);
            p[c] = params[c] - H;
            double[] minus = forward(be, model, p, x, n);
            p[c] = params[c];
            for (int r = 0; r < rows; r++) {
                j[r][c] = (plus[r] - minus[r]) / (2 * H);
            }
        }
        return j;
    }

    /** @return J1·J2ᵀ, row-major */
    public static double[] contract(double[][] j1, double[][] j2) {
        double[] k = new double[j1.length * j2.length];
        for (int r = 0; r < j1.length; r++) {
            for (int c = 0; c < j2.length; c++) {
                double s = 0;
                for (int q = 0; q < j1[r].length; q++) {
                    s += j1[r][q] * j2[c][q];
                }
                k[r * j2.length + c] = s;
            }
        }
        return k;
    }

    /** @return the output-averaged diagonal blocks of a full kernel */
    public static double[] traced(double[] full, int n1, int n2, int o) {
        double[] t = new double[n1 * n2];
        for (int i = 0; i < n1; i++) {
            for (int j = 0; j < n2; j++) {
                double s = 0;
                for (int a = 0; a < o; a++) {
                    s += full[(i * o + a) * (n2 * o) + j * o + a];
                }
                t[i * n2 + j] = s / o;
            }
        }
        return t;
    }

    /** Asserts |expected − actual| ≤ rel·max|expected| elementwise. */
    public static void assertRelClose(double[] expected, double[] actual, double rel, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], rel * Math.max(scale, 1e-300), what + " at " + i);
        }
    }
}
