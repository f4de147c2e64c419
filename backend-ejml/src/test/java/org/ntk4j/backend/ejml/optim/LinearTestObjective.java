package org.ntk4j.backend.ejml.optim;

import java.util.function.Supplier;
import org.ntk4j.backend.Backend;
import org.ntk4j.nn.Params;
import org.ntk4j.optim.Linearization;
import org.ntk4j.optim.LossAndGradient;
import org.ntk4j.optim.Objective;
import org.ntk4j.optim.Phase;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * A test objective for a linear model f(x) = x·W (W d×O), computed on the host with the explicit Jacobian
 * J[(i,a),(k,b)] = X[i][k]·δ_ab (parameter index k·O + b): squared error ½‖f_i − y_i‖² or softmax
 * cross-entropy, mean over the m samples.
 */
final class LinearTestObjective implements Objective {

    final Backend backend;
    final double[][] x;
    final double[][] y;
    final boolean crossEntropy;
    final int m;
    final int d;
    final int o;

    LinearTestObjective(Backend backend, double[][] x, double[][] y, boolean crossEntropy) {
        this.backend = backend;
        this.x = x;
        this.y = y;
        this.crossEntropy = crossEntropy;
        this.m = x.length;
        this.d = x[0].length;
        this.o = y[0].length;
    }

    double[][] outputs(double[] w) {
        double[][] f = new double[m][o];
        for (int i = 0; i < m; i++) {
            for (int a = 0; a < o; a++) {
                for (int k = 0; k < d; k++) {
                    f[i][a] += x[i][k] * w[k * o + a];
                }
            }
        }
        return f;
    }

    static double[] softmax(double[] f) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : f) {
            max = Math.max(max, v);
        }
        double[] p = new double[f.length];
        double s = 0;
        for (int a = 0; a < f.length; a++) {
            p[a] = Math.exp(f[a] - max);
            s += p[a];
        }
        for (int a = 0; a < f.length; a++) {
            p[a] /= s;
        }
        return p;
    }

    double loss(double[] w) {
        double[][] f = outputs(w);
        double total = 0;
        for (int i = 0; i < m; i++) {
            if (crossEntropy) {
                double[] p = softmax(f[i]);
                for (int a = 0; a < o; a++) {
                    total -= y[i][a] * Math.log(p[a]);
                }
            } else {
                for (int a = 0; a < o; a++) {
                    total += 0.5 * (f[i][a] - y[i][a]) * (f[i][a] - y[i][a]);
                }
            }
        }
        return total / m;
    }

    /** g[i][a] = ∂ℓ_i/∂f_ia. */
    double[][] outputGradient(double[] w) {
        double[][] f = outputs(w);
        double[][] g = new double[m][o];
        for (int i = 0; i < m; i++) {
            double[] p = crossEntropy ? softmax(f[i]) : f[i];
            for (int a = 0; a < o; a++) {
                g[i][a] = p[a] - y[i][a];
            }
        }
        return g;
    }

    /** Jᵀ·u as a d×O row-major array. */
    double[] jtv(double[][] u) {
        double[] r = new double[d * o];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < d; k++) {
                for (int a = 0; a < o; a++) {
                    r[k * o + a] += x[i][k] * u[i][a];
                }
            }
        }
        return r;
    }

    /** The explicit (m·O × d·O) Jacobian. */
    double[][] jacobian() {
        double[][] j = new double[m * o][d * o];
        for (int i = 0; i < m; i++) {
            for (int a = 0; a < o; a++) {
                for (int k = 0; k < d; k++) {
                    j[i * o + a][k * o + a] = x[i][k];
                }
            }
        }
        return j;
    }

    /** The block-diagonal output Hessian (m·O × m·O). */
    double[][] hessian(double[] w) {
        double[][] h = new double[m * o][m * o];
        double[][] f = outputs(w);
        for (int i = 0; i < m; i++) {
            double[] p = crossEntropy ? softmax(f[i]) : null;
            for (int a = 0; a < o; a++) {
                for (int b = 0; b < o; b++) {
                    h[i * o + a][i * o + b] = crossEntropy ? (a == b ? p[a] : 0) - p[a] * p[b] : (a == b ? 1 : 0);
                }
            }
        }
        return h;
    }

    static double[] flatten(double[][] a) {
        double[] r = new double[a.length * a[0].length];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, r, i * a[0].length, a[0].length);
        }
        return r;
    }

    static double[][] multiply(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < b.length; k++) {
                for (int j = 0; j < b[0].length; j++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public double loss(Params params) {
        return loss(backend.toHost(params.tensor(0)));
    }

    @Override
    public LossAndGradient lossAndGradient(Params params) {
        double[] w = backend.toHost(params.tensor(0));
        double[] g = jtv(outputGradient(w));
        for (int i = 0; i < g.length; i++) {
            g[i] /= m;
        }
        return new LossAndGradient(loss(w), TestParams.of(backend.fromHost(g, d, o, DType.F64)));
    }

    @Override
    public Linearization linearize(Params params) {
        double[] w = backend.toHost(params.tensor(0));
        Tensor g = backend.fromHost(flatten(outputGradient(w)), m, o, DType.F64);
        double[][] j = jacobian();
        Tensor kernel = backend.fromHost(flatten(multiply(j, transpose(j))), m * o, m * o, DType.F64);
        double[][] h = hessian(w);
        double loss = loss(w);
        return new Linearization() {
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
                return g;
            }

            @Override
            public double isotropicHessian() {
                return crossEntropy ? Double.NaN : 1;
            }

            @Override
            public Tensor hessianTimes(Tensor a) {
                double[] v = backend.toHost(a);
                int k = a.cols();
                double[][] am = new double[a.rows()][k];
                for (int r = 0; r < a.rows(); r++) {
                    System.arraycopy(v, r * k, am[r], 0, k);
                }
                return backend.fromHost(flatten(multiply(h, am)), a.rows(), k, DType.F64);
            }

            @Override
            public Tensor kernel() {
                return kernel;
            }

            @Override
            public Params vjp(Tensor cotangent) {
                double[] u = backend.toHost(cotangent);
                double[][] um = new double[m][o];
                for (int i = 0; i < m; i++) {
                    System.arraycopy(u, i * o, um[i], 0, o);
                }
                return TestParams.of(backend.fromHost(jtv(um), d, o, DType.F64));
            }

            @Override
            public void close() {
                g.close();
                kernel.close();
            }
        };
    }

    @Override
    public <T> T timed(Phase phase, Supplier<T> work) {
        return work.get();
    }
}
