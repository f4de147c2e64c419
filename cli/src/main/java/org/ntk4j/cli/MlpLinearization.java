package org.ntk4j.cli;

import org.ntk4j.backend.Backend;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.ForwardTrace;
import org.ntk4j.nn.Loss;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Params;
import org.ntk4j.optim.Linearization;
import org.ntk4j.optim.Phase;
import org.ntk4j.tensor.Tensor;

/**
 * An MLP linearized on a batch. The library's losses are means: MSE is ‖f − y‖²/(2·m·O), so the per-sample
 * loss is ‖f_i − y_i‖²/(2·O) with g_i = (f_i − y_i)/O and H_i = I/O; softmax cross-entropy is the mean of
 * ℓ_i = −Σ y log p with g_i = p_i − y_i and H_i = diag(p_i) − p_i·p_iᵀ. The loss's gradient (a mean) times m
 * gives g.
 */
final class MlpLinearization implements Linearization {

    private final BatchObjective objective;
    private final Mlp mlp;
    private final Loss loss;
    private final Params params;
    private final ForwardTrace trace;
    private final Loss.Value value;
    private final EmpiricalNtk ntk;
    private final Tensor g;
    private final int m;
    private final int o;
    private double[] probabilities;
    private Tensor kernel;
    private boolean closed;

    MlpLinearization(BatchObjective objective, Mlp mlp, Loss loss, Params params, ForwardTrace trace,
                     Loss.Value value, EmpiricalNtk ntk) {
        this.objective = objective;
        this.mlp = mlp;
        this.loss = loss;
        this.params = params;
        this.trace = trace;
        this.value = value;
        this.ntk = ntk;
        this.m = trace.rows();
        this.o = mlp.outputDim();
        Backend b = params.backend();
        this.g = b.zeros(m, o, value.gradient().dtype());
        b.scale(m, value.gradient(), g);
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
        return value.value();
    }

    @Override
    public Tensor outputGradient() {
        return g;
    }

    @Override
    public double isotropicHessian() {
        return loss == Loss.MSE ? 1.0 / o : Double.NaN;
    }

    @Override
    public Tensor hessianTimes(Tensor a) {
        Backend b = params.backend();
        if (loss == Loss.MSE) {
            Tensor out = b.zeros(a.rows(), a.cols(), a.dtype());
            b.scale(1.0 / o, a, out);
            return out;
        }
        if (probabilities == null) {
            probabilities = Loss.softmaxRows(b.toHost(trace.output()), m, o);
        }
        int k = a.cols();
        double[] in = b.toHost(a);
        double[] out = new double[in.length];
        for (int i = 0; i < m; i++) {
            for (int c = 0; c < k; c++) {
                double pa = 0;
                for (int j = 0; j < o; j++) {
                    pa += probabilities[i * o + j] * in[(i * o + j) * k + c];
                }
                for (int r = 0; r < o; r++) {
                    double p = probabilities[i * o + r];
                    out[(i * o + r) * k + c] = p * in[(i * o + r) * k + c] - p * pa;
                }
            }
        }
        return b.fromHost(out, a.rows(), k, a.dtype());
    }

    @Override
    public Tensor kernel() {
        if (kernel == null) {
            kernel = objective.timed(Phase.KERNEL, () -> ntk.compute(params, trace, OutputAxes.FULL));
        }
        return kernel;
    }

    @Override
    public Params vjp(Tensor cotangent) {
        return objective.timed(Phase.BACKWARD, () -> mlp.vjp(params, trace, cotangent));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (kernel != null) {
            kernel.close();
        }
        g.close();
        value.close();
        trace.close();
    }
}
