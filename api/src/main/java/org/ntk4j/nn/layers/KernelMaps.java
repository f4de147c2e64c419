package org.ntk4j.nn.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.spi.ActivationDuals;
import org.ntk4j.nn.layers.KernelValue.Layout;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * The kernel maps the layers share, on a {@link KernelValue}: the pair covariances on the backend (GEMM, row
 * gathers, {@code dualMap}), each sample's own covariance on the host (O(n·R), a small part of the work).
 * None modifies or closes its input.
 */
final class KernelMaps {

    private KernelMaps() {
    }

    /**
     * A weight layer (dense, conv) or a linear pooling: Σ' = w·S(Σ) + bias, and Θ' = Σ' + w·S(Θ) for a weight
     * layer (its own parameters' share plus the propagated kernel), Θ' = w·S(Θ) for pooling.
     *
     * @param in the value (not modified)
     * @param s the stencil over position pairs, or {@code null} for a dense layer on vectors
     * @param w the weight: σ_w² over the taps per output for a weight layer, 1/taps for pooling
     * @param bias σ_b² (0 for none)
     * @param weights whether the layer has weights (adds Σ' to Θ', and its output is centred)
     * @param out the output shape
     * @return a new value
     */
    static KernelValue linear(KernelValue in, Stencil s, double w, double bias, boolean weights, Shape out) {
        Backend be = in.be;
        Tensor sum = s == null ? in.nngp : s.apply(be, in.nngp);
        Tensor sigma = be.zeros(sum.rows(), sum.cols(), sum.dtype());
        be.affine(w, sum, bias, sigma);
        if (sum != in.nngp) {
            sum.close();
        }
        Tensor tsum = s == null ? in.ntk : s.apply(be, in.ntk);
        Tensor theta = be.zeros(tsum.rows(), tsum.cols(), tsum.dtype());
        if (weights) {
            be.axpby(1, sigma, w, tsum, theta);
        } else {
            be.affine(w, tsum, 0, theta);
        }
        if (tsum != in.ntk) {
            tsum.close();
        }
        double[] s1 = side(in.side1, in.n1, s, w, bias);
        double[] s2 = in.side2 == in.side1 && in.n1 == in.n2 ? s1 : side(in.side2, in.n2, s, w, bias);
        return in.with(out, in.layout, sigma, theta, s1, s2, weights || in.centred, in.mixes + (weights ? 1 : 0));
    }

    private static double[] side(double[] side, int n, Stencil s, double w, double bias) {
        double[] sum = s == null ? side : s.apply(side, n);
        double[] out = new double[sum.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = w * sum[i] + bias;
        }
        return out;
    }

    /**
     * An elementwise activation: Σ' = E[φ(u)φ(v)], Θ' = Θ ⊙ E[φ'(u)φ'(v)] with (u, v) of covariance Σ and the
     * variances of the two positions, by {@link Backend#dualMap}.
     *
     * @param in the value (not modified)
     * @param f φ
     * @return a new value
     */
    static KernelValue dual(KernelValue in, Activation f) {
        Backend be = in.be;
        int p = KernelValue.positions(in.shape);
        double[] q1 = diagonal(in.side1, in.n1, p, in.layout);
        double[] q2 = diagonal(in.side2, in.n2, p, in.layout);
        Tensor[] kk;
        switch (in.layout) {
            case VECTOR:
                kk = dualMap(be, f, in.nngp, q1, q2);
                break;
            case DIAGONAL:
                kk = dualDiagonal(be, f, in, q1, q2, p);
                break;
            default:
                Tensor[] pk;
                try (Tensor pair = toPairForm(be, in.nngp, p, in.n1, in.n2)) {
                    pk = dualMap(be, f, pair, q1, q2);
                }
                kk = new Tensor[2];
                for (int i = 0; i < 2; i++) {
                    try (Tensor t = pk[i]) {
                        kk[i] = fromPairForm(be, t, p, in.n1, in.n2);
                    }
                }
        }
        Tensor theta = be.zeros(in.ntk.rows(), in.ntk.cols(), in.ntk.dtype());
        be.hadamard(in.ntk, kk[1], theta);
        kk[1].close();
        double[] s1 = dualSide(f, in.side1, q1, in.n1, p, in.layout);
        double[] s2 = in.side2 == in.side1 && in.n1 == in.n2 ? s1 : dualSide(f, in.side2, q2, in.n2, p, in.layout);
        return in.with(in.shape, in.layout, kk[0], theta, s1, s2, in.centred && isOdd(f), in.mixes);
    }

    /** @return whether φ is odd, so that it keeps centred features centred */
    static boolean isOdd(Activation f) {
        return f.kind() == Activation.Kind.IDENTITY || f.kind() == Activation.Kind.ERF
                || f.kind() == Activation.Kind.TANH;
    }

    /** One {@code dualMap} call: {E[φφ], E[φ'φ']} as new tensors. */
    private static Tensor[] dualMap(Backend be, Activation f, Tensor k, double[] q1, double[] q2) {
        DType dt = k.dtype();
        Tensor k2 = be.zeros(k.rows(), k.cols(), dt);
        Tensor kd = be.zeros(k.rows(), k.cols(), dt);
        try (Tensor t1 = be.fromHost(q1, k.rows(), 1, dt); Tensor t2 = be.fromHost(q2, k.cols(), 1, dt)) {
            be.dualMap(f, k, t1, t2, k2, kd);
        }
        return new Tensor[] {k2, kd};
    }

    /** DIAGONAL: one {@code dualMap} per position, on its n1 × n2 block. */
    private static Tensor[] dualDiagonal(Backend be, Activation f, KernelValue in, double[] q1, double[] q2, int p) {
        int n1 = in.n1;
        int n2 = in.n2;
        List<Tensor> ks = new ArrayList<>();
        List<Tensor> kds = new ArrayList<>();
        try (Tensor blocks = be.reshape(in.nngp, p * n1, n2)) {
            for (int i = 0; i < p; i++) {
                try (Tensor k = be.gatherRows(blocks, Ops.range(i * n1, (i + 1) * n1))) {
                    Tensor[] d = dualMap(be, f, k, Arrays.copyOfRange(q1, i * n1, (i + 1) * n1),
                            Arrays.copyOfRange(q2, i * n2, (i + 1) * n2));
                    ks.add(d[0]);
                    kds.add(d[1]);
                }
            }
            return new Tensor[] {stack(be, ks, p, n1 * n2), stack(be, kds, p, n1 * n2)};
        } finally {
            ks.forEach(Tensor::close);
            kds.forEach(Tensor::close);
        }
    }

    private static Tensor stack(Backend be, List<Tensor> parts, int rows, int cols) {
        try (Tensor all = be.concatRows(parts)) {
            return be.reshape(all, rows, cols);
        }
    }

    private static double[] dualSide(Activation f, double[] side, double[] q, int n, int p, Layout layout) {
        double[] out = new double[side.length];
        double[] pair = new double[2];
        if (layout != Layout.FULL) {
            for (int i = 0; i < side.length; i++) {
                ActivationDuals.dual(f, side[i], side[i], side[i], pair);
                out[i] = pair[0];
            }
            return out;
        }
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                int r = i * p + j;
                for (int a = 0; a < n; a++) {
                    ActivationDuals.dual(f, q[i * n + a], q[j * n + a], side[r * n + a], pair);
                    out[r * n + a] = pair[0];
                }
            }
        }
        return out;
    }

    /** The variances, element p·n + a: the side itself, or for FULL its pairs of equal positions. */
    static double[] diagonal(double[] side, int n, int p, Layout layout) {
        if (layout != Layout.FULL) {
            return side;
        }
        double[] q = new double[p * n];
        for (int i = 0; i < p; i++) {
            System.arraycopy(side, (i * p + i) * n, q, i * n, n);
        }
        return q;
    }

    /** The variances of a block, element a·P + p. */
    static double[] variances(KernelValue v, boolean first) {
        int n = first ? v.n1 : v.n2;
        int p = KernelValue.positions(v.shape);
        double[] q = diagonal(first ? v.side1 : v.side2, n, p, v.layout);
        double[] out = new double[q.length];
        for (int i = 0; i < p; i++) {
            for (int a = 0; a < n; a++) {
                out[a * p + i] = q[i * n + a];
            }
        }
        return out;
    }

    /**
     * The mean over position pairs, to a vector value: flatten (the pairs of equal positions: a dense layer after
     * it averages the products over positions) or global average pooling (every pair).
     *
     * @param in the value (not modified)
     * @param everyPair true for global average pooling (needs FULL), false for flatten
     * @param out the output shape
     * @return a new value
     */
    static KernelValue mean(KernelValue in, boolean everyPair, Shape out, String layer) {
        Backend be = in.be;
        int p = KernelValue.positions(in.shape);
        if (everyPair && in.layout != Layout.FULL) {
            throw new IllegalArgumentException(layer + ": the kernel map needs the FULL spatial covariance, the"
                    + " value keeps " + in.layout);
        }
        int[] rows;
        if (in.layout == Layout.FULL && !everyPair) {
            rows = new int[p];
            for (int i = 0; i < p; i++) {
                rows[i] = i * p + i;
            }
        } else {
            rows = Ops.range(0, in.nngp.rows());
        }
        Tensor sigma = meanRows(be, in.nngp, rows, in.n1, in.n2);
        Tensor theta = meanRows(be, in.ntk, rows, in.n1, in.n2);
        double[] s1 = meanSide(in.side1, in.n1, rows);
        double[] s2 = in.side2 == in.side1 && in.n1 == in.n2 ? s1 : meanSide(in.side2, in.n2, rows);
        return in.with(out, Layout.VECTOR, sigma, theta, s1, s2, in.centred, in.mixes);
    }

    private static Tensor meanRows(Backend be, Tensor t, int[] rows, int n1, int n2) {
        try (Tensor sel = rows.length == t.rows() ? be.copy(t) : be.gatherRows(t, rows);
             Tensor sums = be.zeros(1, t.cols(), t.dtype())) {
            be.columnSums(sel, sums);
            be.affine(1.0 / rows.length, sums, 0, sums);
            return be.reshape(sums, n1, n2);
        }
    }

    private static double[] meanSide(double[] side, int n, int[] rows) {
        double[] out = new double[n];
        for (int r : rows) {
            for (int a = 0; a < n; a++) {
                out[a] += side[r * n + a];
            }
        }
        for (int a = 0; a < n; a++) {
            out[a] /= rows.length;
        }
        return out;
    }

    /**
     * Layer normalization over all of a sample's features, of centred inputs: the mean over features tends to 0,
     * the variance to m = the mean of the variances over positions; Σ' = Σ/√((m1 + ε)(m2 + ε)), Θ' likewise.
     *
     * @param in the value (not modified)
     * @param epsilon ε
     * @return a new value
     */
    static KernelValue normalize(KernelValue in, double epsilon) {
        if (!in.centred) {
            throw new IllegalArgumentException("layerNorm: its infinite-width map needs inputs of mean zero (the"
                    + " output of a dense or conv layer, or of an odd activation of one); it follows " + in.shape
                    + " features that are not centred");
        }
        Backend be = in.be;
        int p = KernelValue.positions(in.shape);
        double[] m1 = norms(diagonal(in.side1, in.n1, p, in.layout), in.n1, p, epsilon);
        double[] m2 = norms(diagonal(in.side2, in.n2, p, in.layout), in.n2, p, epsilon);
        double[] f = new double[in.n1 * in.n2];
        for (int a = 0; a < in.n1; a++) {
            for (int b = 0; b < in.n2; b++) {
                f[a * in.n2 + b] = 1 / Math.sqrt(m1[a] * m2[b]);
            }
        }
        Tensor sigma = be.zeros(in.nngp.rows(), in.nngp.cols(), in.dtype());
        Tensor theta = be.zeros(in.ntk.rows(), in.ntk.cols(), in.dtype());
        boolean vector = in.layout == Layout.VECTOR;
        try (Tensor row = be.fromHost(f, vector ? in.n1 : 1, vector ? in.n2 : f.length, in.dtype());
             Tensor scale = vector ? be.copy(row) : be.gatherRows(row, new int[in.nngp.rows()])) {
            be.hadamard(in.nngp, scale, sigma);
            be.hadamard(in.ntk, scale, theta);
        }
        double[] s1 = scaleSide(in.side1, in.n1, m1);
        double[] s2 = in.side2 == in.side1 && in.n1 == in.n2 ? s1 : scaleSide(in.side2, in.n2, m2);
        return in.with(in.shape, in.layout, sigma, theta, s1, s2, true, in.mixes);
    }

    private static double[] norms(double[] q, int n, int p, double epsilon) {
        double[] m = new double[n];
        for (int i = 0; i < p; i++) {
            for (int a = 0; a < n; a++) {
                m[a] += q[i * n + a];
            }
        }
        for (int a = 0; a < n; a++) {
            m[a] = m[a] / p + epsilon;
        }
        return m;
    }

    private static double[] scaleSide(double[] side, int n, double[] m) {
        double[] out = new double[side.length];
        for (int i = 0; i < side.length; i++) {
            out[i] = side[i] / m[i % n];
        }
        return out;
    }

    /**
     * The sum of two independent branches (a residual block and its input): kernels and sides add.
     *
     * @param a one branch (not modified)
     * @param b the other, the same shape and layout (not modified)
     * @return a new value
     */
    static KernelValue sum(KernelValue a, KernelValue b) {
        Backend be = a.be;
        Tensor sigma = be.zeros(a.nngp.rows(), a.nngp.cols(), a.dtype());
        be.axpby(1, a.nngp, 1, b.nngp, sigma);
        Tensor theta = be.zeros(a.ntk.rows(), a.ntk.cols(), a.dtype());
        be.axpby(1, a.ntk, 1, b.ntk, theta);
        double[] s1 = add(a.side1, b.side1);
        double[] s2 = a.side2 == a.side1 && b.side2 == b.side1 ? s1 : add(a.side2, b.side2);
        return a.with(a.shape, a.layout, sigma, theta, s1, s2, a.centred && b.centred, Math.max(a.mixes, b.mixes));
    }

    private static double[] add(double[] x, double[] y) {
        double[] out = new double[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = x[i] + y[i];
        }
        return out;
    }

    /**
     * Position pairs to the pair form the duals need: a P² × (n1·n2) tensor (row p·P + p', column a·n2 + b) to a
     * (P·n1) × (P·n2) tensor (row p·n1 + a, column p'·n2 + b), where each row has one variance and each column
     * one. A row permutation of the (P²·n1) × n2 view.
     */
    static Tensor toPairForm(Backend be, Tensor t, int p, int n1, int n2) {
        int[] idx = new int[p * n1 * p];
        for (int i = 0; i < p; i++) {
            for (int a = 0; a < n1; a++) {
                for (int j = 0; j < p; j++) {
                    idx[(i * n1 + a) * p + j] = (i * p + j) * n1 + a;
                }
            }
        }
        try (Tensor v = be.reshape(t, p * p * n1, n2); Tensor g = be.gatherRows(v, idx)) {
            return be.reshape(g, p * n1, p * n2);
        }
    }

    /** The inverse of {@link #toPairForm}. */
    static Tensor fromPairForm(Backend be, Tensor t, int p, int n1, int n2) {
        int[] idx = new int[p * p * n1];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                for (int a = 0; a < n1; a++) {
                    idx[(i * p + j) * n1 + a] = (i * n1 + a) * p + j;
                }
            }
        }
        try (Tensor v = be.reshape(t, p * n1 * p, n2); Tensor g = be.gatherRows(v, idx)) {
            return be.reshape(g, p * p, n1 * n2);
        }
    }
}
