package org.ntk4j.nn.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.spi.DualRows;
import org.ntk4j.nn.layers.KernelValue.Layout;
import org.ntk4j.tensor.Tensor;

/**
 * The spatial part of a model's infinite-width kernel, one pair of samples at a time: for a model that starts with
 * convolutions and activations on images and reads them out by {@code flatten} or {@code globalAvgPool}, every
 * pair (a, b) is carried through those layers in plain arrays of its own position pairs, (H·W)² values for FULL
 * and H·W for DIAGONAL, and only the read-out n1 × n2 kernels reach the backend; the layers after the read-out run
 * their own maps. The maps are those of the layers ({@link KernelMaps#linear} with the conv stencil,
 * {@link KernelMaps#dual} by {@link DualRows}, {@link KernelMaps#mean}), so the kernels equal the layer-by-layer
 * ones up to the order of the sums.
 *
 * <p>Why pairs: every map of this part acts on each sample pair alone (a conv shifts both positions of a pair by
 * the same offset; an activation needs the pair's covariances and the two samples' variances), so the working set
 * of a pair stays in the cache and memory is a few (H·W)² arrays per thread instead of n1·n2·(H·W)² values per
 * tensor. Sample pairs run in parallel on the common fork–join pool. Each sample's own chain runs first and gives
 * the variances the activations need; a symmetric block computes the pairs a ≤ b and mirrors them (the read-outs
 * are symmetric). Immutable.
 */
final class PairKernels {

    /** One layer of the spatial part: a conv ({@code stencil} set) or an activation ({@code f} set). */
    private record Step(PairStencil stencil, double weight, double bias, Activation f) {
    }

    private final Layout layout;
    /** Average pooling of the inputs before their products (the leading avgPool layers: linear, so exact). */
    private final List<Windows> pools;
    private final int inputChannels;
    private final int positions;
    private final int channels;
    private final List<Step> steps;
    private final int duals;
    /** Read-out: globalAvgPool (every pair of positions) or flatten (equal positions). */
    private final boolean everyPair;
    private final Shape readout;
    private final List<Layer> tail;
    private final boolean centred;
    private final int mixes;
    /** The largest array a pair needs along the way. */
    private final int width;

    private PairKernels(Shape input, List<Windows> pools, Shape pooled, List<Step> steps, boolean everyPair,
                        Shape readout, List<Layer> tail, boolean centred, int mixes) {
        this.layout = everyPair ? Layout.FULL : Layout.DIAGONAL;
        this.pools = pools;
        this.inputChannels = input.channels();
        this.positions = pooled.height() * pooled.width();
        this.channels = pooled.channels();
        this.steps = steps;
        this.everyPair = everyPair;
        this.readout = readout;
        this.tail = tail;
        this.centred = centred;
        this.mixes = mixes;
        int d = 0;
        int most = rows(positions);
        for (Step s : steps) {
            if (s.stencil != null) {
                most = Math.max(most, Math.max(rows(s.stencil.positionsOut()),
                        layout == Layout.FULL ? s.stencil.scratch() : 0));
            } else {
                d++;
            }
        }
        this.duals = d;
        this.width = most;
    }

    private int rows(int p) {
        return layout == Layout.FULL ? Math.multiplyExact(p, p) : p;
    }

    /**
     * The plan for a model, or {@code null} when its layers before the read-out are not leading average pools,
     * then conv and activation layers (those models take the layer-by-layer maps).
     *
     * @param input the model's input shape
     * @param root the model's root layer
     * @return the plan, or {@code null}
     */
    static PairKernels plan(Shape input, Layer root) {
        if (!input.isImage()) {
            return null;
        }
        List<Layer> leaves = new ArrayList<>();
        leaves(root, leaves);
        List<Windows> pools = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        Shape s = input;
        Shape pooled = input;
        boolean centred = false;
        int mixes = 0;
        for (int i = 0; i < leaves.size(); i++) {
            Layer l = leaves.get(i);
            if (l instanceof AvgPool pool && steps.isEmpty()) {
                pools.add(pool.windows(s));
                pooled = l.outputShape(s);
            } else if (l instanceof Conv c) {
                steps.add(new Step(new PairStencil(c.windows(s)), c.tapWeight(), c.biasVariance(), null));
                centred = true;
                mixes++;
            } else if (l instanceof ActivationLayer a) {
                steps.add(new Step(null, 0, 0, a.activation()));
                centred = centred && a.activation().odd();
            } else if (l instanceof Flatten || l instanceof GlobalAvgPool) {
                return new PairKernels(input, pools, pooled, steps, l instanceof GlobalAvgPool, l.outputShape(s),
                        List.copyOf(leaves.subList(i + 1, leaves.size())), centred, mixes);
            } else {
                return null;
            }
            s = l.outputShape(s);
        }
        return null;
    }

    private static void leaves(Layer l, List<Layer> out) {
        if (l instanceof Serial s) {
            s.layers().forEach(x -> leaves(x, out));
        } else {
            out.add(l);
        }
    }

    /**
     * @param n1 samples of one block
     * @param n2 samples of the other
     * @return the bytes a block needs at its peak: the read-out kernels and their tensors, each sample's
     * variances, and each thread's pair arrays
     */
    long bytes(int n1, int n2) {
        long pairs = (long) n1 * n2;
        long variances = (long) duals * rows(1) * positions * (n1 + (long) n2);
        long threads = ForkJoinPool.commonPool().getParallelism() + 1L;
        return 8L * (Model.KERNEL_LIVE_TENSORS * pairs + variances + threads * (4L * width + positions));
    }

    /**
     * The kernel of two blocks: the spatial part pair by pair on the host, then the read-out kernels through the
     * layers after it.
     *
     * @param be the backend of the inputs and of the result
     * @param x1 n1 × H·W·C inputs (not modified)
     * @param x2 n2 × H·W·C inputs, or {@code null} for x1 itself (not modified)
     * @return a new value, the model's kernel
     */
    KernelValue kernel(Backend be, Tensor x1, Tensor x2) {
        boolean symmetric = x2 == null;
        int n1 = x1.rows();
        int n2 = symmetric ? n1 : x2.rows();
        double[] h1 = pooled(be.toHost(x1), n1);
        double[] h2 = symmetric ? h1 : pooled(be.toHost(x2), n2);
        Chain[] own1 = own(h1, n1);
        Chain[] own2 = symmetric ? own1 : own(h2, n2);
        double[] sigma = new double[n1 * n2];
        double[] theta = new double[n1 * n2];
        // rows interleaved from both ends, so that the chunks of a symmetric block carry similar work
        IntStream.range(0, n1).parallel().forEach(k -> {
            int a = (k & 1) == 0 ? k / 2 : n1 - 1 - k / 2;
            Work work = new Work(width, positions);
            double[] out = new double[2];
            for (int b = symmetric ? a : 0; b < n2; b++) {
                if (symmetric && a == b) {
                    out[0] = own1[a].sigma;
                    out[1] = own1[a].theta;
                } else {
                    pair(h1, a, h2, b, own1[a], own2[b], work, out, false);
                }
                sigma[a * n2 + b] = out[0];
                theta[a * n2 + b] = out[1];
                if (symmetric) {
                    sigma[b * n2 + a] = out[0];
                    theta[b * n2 + a] = out[1];
                }
            }
        });
        double[] side1 = sides(own1);
        double[] side2 = symmetric ? side1 : sides(own2);
        KernelValue v = new KernelValue(be, readout, Layout.VECTOR, n1, n2, be.fromHost(sigma, n1, n2, x1.dtype()),
                be.fromHost(theta, n1, n2, x1.dtype()), side1, side2, centred, mixes);
        for (Layer l : tail) {
            KernelValue next;
            try (KernelValue cur = v) {
                next = l.kernel(cur);
            }
            v = next;
        }
        return v;
    }

    /** @return the layout the pairs keep: FULL for globalAvgPool, else DIAGONAL */
    Layout layout() {
        return layout;
    }

    /** @return the most position pairs a pair of samples keeps at once */
    long positionPairs() {
        return rows(positions);
    }

    /** The inputs through the leading average pools: each window's mean, per channel. */
    private double[] pooled(double[] x, int n) {
        double[] cur = x;
        int c = inputChannels;
        for (Windows g : pools) {
            int k = g.kh * g.kw;
            double[] out = new double[n * g.positions() * c];
            for (int a = 0; a < n; a++) {
                for (int i = 0; i < g.oh; i++) {
                    for (int j = 0; j < g.ow; j++) {
                        int o = ((a * g.oh + i) * g.ow + j) * c;
                        for (int p = 0; p < g.kh; p++) {
                            for (int q = 0; q < g.kw; q++) {
                                int src = ((a * g.h + i * g.stride + p) * g.w + j * g.stride + q) * c;
                                for (int ch = 0; ch < c; ch++) {
                                    out[o + ch] += cur[src + ch];
                                }
                            }
                        }
                        for (int ch = 0; ch < c; ch++) {
                            out[o + ch] /= k;
                        }
                    }
                }
            }
            cur = out;
        }
        return cur;
    }

    /** Each sample's own chain: its variances before every activation and its read-out. */
    private Chain[] own(double[] x, int n) {
        Chain[] c = new Chain[n];
        IntStream.range(0, n).parallel().forEach(a -> {
            c[a] = new Chain(duals);
            pair(x, a, x, a, c[a], c[a], new Work(width, positions), new double[2], true);
        });
        return c;
    }

    private static double[] sides(Chain[] c) {
        double[] s = new double[c.length];
        for (int a = 0; a < c.length; a++) {
            s[a] = c[a].sigma;
        }
        return s;
    }

    /**
     * One pair through the spatial part. With {@code own} (a = b, qa = qb) the variances are taken from the chain
     * as it goes and kept in qa, with the read-out.
     */
    private void pair(double[] x1, int a, double[] x2, int b, Chain qa, Chain qb, Work wk, double[] out, boolean own) {
        boolean full = layout == Layout.FULL;
        double[] s = wk.s;
        double[] t = wk.t;
        double[] u = wk.u;
        int p = positions;
        inputs(x1, a * p * channels, x2, b * p * channels, s, full);
        boolean zero = true;
        int d = 0;
        for (Step step : steps) {
            if (step.stencil != null) {
                int r = rows(step.stencil.positionsOut());
                apply(step.stencil, s, u, wk.mid, full);
                double[] swap = s;
                s = u;
                u = swap;
                for (int i = 0; i < r; i++) {
                    s[i] = step.weight * s[i] + step.bias;
                }
                if (zero) {
                    System.arraycopy(s, 0, t, 0, r);
                } else {
                    apply(step.stencil, t, u, wk.mid, full);
                    for (int i = 0; i < r; i++) {
                        t[i] = s[i] + step.weight * u[i];
                    }
                }
                zero = false;
                p = step.stencil.positionsOut();
            } else {
                if (own) {
                    qa.q[d] = diagonal(s, p, full);
                }
                dual(step.f, qa.q[d], qb.q[d], s, t, wk.row, p, full, zero);
                d++;
            }
        }
        int r = rows(p);
        double ss = 0;
        double ts = 0;
        if (everyPair || !full) {
            for (int i = 0; i < r; i++) {
                ss += s[i];
                ts += t[i];
            }
        } else {
            for (int i = 0; i < p; i++) {
                ss += s[i * p + i];
                ts += t[i * p + i];
            }
        }
        int count = everyPair ? r : p;
        out[0] = ss / count;
        out[1] = zero ? 0 : ts / count;
        if (own) {
            qa.sigma = out[0];
            qa.theta = out[1];
        }
    }

    /** Σ⁰: the channel-averaged products of the two samples' pixels. */
    private void inputs(double[] x1, int o1, double[] x2, int o2, double[] s, boolean full) {
        int p = positions;
        int c = channels;
        for (int i = 0; i < p; i++) {
            if (!full) {
                s[i] = dot(x1, o1 + i * c, x2, o2 + i * c, c) / c;
                continue;
            }
            for (int j = 0; j < p; j++) {
                s[i * p + j] = dot(x1, o1 + i * c, x2, o2 + j * c, c) / c;
            }
        }
    }

    private static double dot(double[] x, int ox, double[] y, int oy, int n) {
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += x[ox + k] * y[oy + k];
        }
        return sum;
    }

    private static void apply(PairStencil st, double[] in, double[] out, double[] mid, boolean full) {
        if (full) {
            st.full(in, out, mid);
        } else {
            st.diagonal(in, out);
        }
    }

    /** Σ ← E[φ(u)φ(v)], Θ ← Θ ⊙ E[φ'(u)φ'(v)] in place; Θ stays 0 when it is. */
    private static void dual(Activation f, double[] q1, double[] q2, double[] s, double[] t, double[] row, int p,
                             boolean full, boolean zero) {
        if (full) {
            for (int i = 0; i < p; i++) {
                DualRows.dual(f, q1[i], q2, s, i * p, s, i * p, row, 0, p);
                if (!zero) {
                    for (int j = 0; j < p; j++) {
                        t[i * p + j] *= row[j];
                    }
                }
            }
            return;
        }
        double[] one = new double[1];
        for (int i = 0; i < p; i++) {
            one[0] = q2[i];
            DualRows.dual(f, q1[i], one, s, i, s, i, row, i, 1);
            if (!zero) {
                t[i] *= row[i];
            }
        }
    }

    /** A new array of the variances Σ(p, p). */
    private static double[] diagonal(double[] s, int p, boolean full) {
        double[] q = new double[p];
        for (int i = 0; i < p; i++) {
            q[i] = full ? s[i * p + i] : s[i];
        }
        return q;
    }

    /** A sample's own chain: the variances before every activation, and the read-out kernels. */
    private static final class Chain {
        final double[][] q;
        double sigma;
        double theta;

        Chain(int duals) {
            q = new double[duals][];
        }
    }

    /** One thread's arrays for a pair. */
    private static final class Work {
        final double[] s;
        final double[] t;
        final double[] u;
        final double[] mid;
        final double[] row;

        Work(int width, int positions) {
            s = new double[width];
            t = new double[width];
            u = new double[width];
            mid = new double[width];
            row = new double[positions];
        }
    }
}
