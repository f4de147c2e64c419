package org.ntk4j.train;

import org.ntk4j.backend.Backend;
import org.ntk4j.nn.ForwardTrace;
import org.ntk4j.nn.Loss;
import org.ntk4j.nn.Params;
import org.ntk4j.optim.Linearization;
import org.ntk4j.optim.Phase;
import org.ntk4j.tensor.Tensor;

/** An {@link MlpObjective}'s network linearized at given parameters on its batch. */
final class MlpLinearization implements Linearization {

    private final MlpObjective objective;
    private final Params params;
    private final ForwardTrace trace;
    private final double loss;
    private final Tensor gradient;
    private final int m;
    private final int o;
    private Tensor kernel;
    private double[] probabilities;

    MlpLinearization(MlpObjective objective, Params params, ForwardTrace trace, Loss.Value value) {
        this.objective = objective;
        this.params = params;
        this.trace = trace;
        this.loss = value.value();
        Tensor out = trace.output();
        this.m = out.rows();
        this.o = out.cols();
        // the loss's gradient is of the mean over samples: m times it is the per-sample gradient g_i
        this.gradient = value.gradient();
        out.backend().scale(m, gradient, gradient);
    }

    @Override
    public int samples() {
        return m;
    }

    @Override
    public int outputs() {
        return o;
    }

    @Override
    public double loss() {
        return loss;
    }

    @Override
    public Tensor outputGradient() {
        return gradient;
    }

    @Override
    public double isotropicHessian() {
        return objective.lossKind() == Loss.MSE ? 1.0 / o : Double.NaN;
    }

    @Override
    public Tensor hessianTimes(Tensor a) {
        int n = m * o;
        if (a.rows() != n) {
            throw new IllegalArgumentException("hessianTimes: expected " + n + " rows, got " + a.shape());
        }
        Backend b = a.backend();
        if (objective.lossKind() == Loss.MSE) {
            Tensor r = b.zeros(a.rows(), a.cols(), a.dtype());
            b.scale(1.0 / o, a, r);
            return r;
        }
        if (probabilities == null) {
            probabilities = Loss.softmaxRows(b.toHost(trace.output()), m, o);
        }
        double[] p = probabilities;
        int k = a.cols();
        double[] v = b.toHost(a);
        double[] out = new double[v.length];
        double[] mix = new double[k];
        for (int i = 0; i < m; i++) {
            java.util.Arrays.fill(mix, 0);
            for (int c = 0; c < o; c++) {
                double pc = p[i * o + c];
                int row = (i * o + c) * k;
                for (int j = 0; j < k; j++) {
                    mix[j] += pc * v[row + j];
                }
            }
            for (int c = 0; c < o; c++) {
                double pc = p[i * o + c];
                int row = (i * o + c) * k;
                for (int j = 0; j < k; j++) {
                    out[row + j] = pc * (v[row + j] - mix[j]);
                }
            }
        }
        return b.fromHost(out, a.rows(), k, a.dtype());
    }

    @Override
    public Tensor kernel() {
        if (kernel == null) {
            kernel = objective.kernel(params, trace);
        }
        return kernel;
    }

    @Override
    public Params vjp(Tensor cotangent) {
        return objective.times().time(Phase.BACKWARD, () -> objective.mlp().vjp(params, trace, cotangent));
    }

    @Override
    public void close() {
        if (kernel != null) {
            kernel.close();
        }
        gradient.close();
        trace.close();
    }
}
