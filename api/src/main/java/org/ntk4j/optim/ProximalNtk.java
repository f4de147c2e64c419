package org.ntk4j.optim;

import java.util.List;
import java.util.Map;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.NotPositiveDefiniteException;
import org.ntk4j.backend.SingularMatrixException;
import org.ntk4j.nn.Params;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * The proximal NTK optimizer: a proximal-point step on the network linearized at θ over the minibatch, solved
 * in the m·O-dimensional output space with the batch's empirical NTK, with Levenberg–Marquardt damping.
 *
 * <h2>Derivation</h2>
 * On a batch of m samples with O outputs, write f ∈ ℝ^{m·O} for the outputs at θ, J = ∂f/∂θ (m·O × P) and,
 * per sample, g_i = ∂ℓ_i/∂f_i and H_i = ∂²ℓ_i/∂f_i² (stacked: g ∈ ℝ^{m·O}, H block-diagonal). Replace the
 * network by its linearization f(θ + Δ) ≈ f + J·Δ and the summed loss Σ_i ℓ_i by its second-order expansion in
 * the outputs, and add a proximal term that keeps the step where the linearization is trusted:
 * <pre>
 *   Δθ = argmin_Δ  gᵀ·J·Δ + ½·Δᵀ·Jᵀ·H·J·Δ + (λ/2)·‖Δ‖²,   i.e.   (Jᵀ·H·J + λ·I_P)·Δθ = −Jᵀ·g.
 * </pre>
 * This is a P×P system. Because (Jᵀ·H·J + λ·I_P)·Jᵀ = Jᵀ·(H·J·Jᵀ + λ·I), its solution is
 * <pre>
 *   Δθ = −Jᵀ·(H·Θ_B + λ·I)⁻¹·g,        Θ_B = J·Jᵀ  (m·O × m·O, the batch's full empirical NTK),
 * </pre>
 * an m·O-dimensional solve. For the squared error ℓ_i = ½‖f_i − y_i‖², H = I and g = r = f − y, so
 * Δθ = −Jᵀ·(Θ_B + λ·I)⁻¹·r = argmin_Δ ½‖r + J·Δ‖² + (λ/2)‖Δ‖²: a symmetric positive definite system, solved
 * by Cholesky. For softmax cross-entropy, g = p − y and H_i = diag(p_i) − p_i·p_iᵀ (the generalized Gauss–Newton
 * form); H·Θ_B is not symmetric and the system is solved by LU. When H = c·I (the squared error, with any
 * constant factor c) the system c·Θ_B + λ·I is symmetric and Cholesky is used. The parameters move by θ ← θ + η·Δθ.
 *
 * <p>The squared error is the loss this optimizer is made for: its quadratic model in the outputs is exact, so
 * the only approximation is the linearization. Softmax cross-entropy's is poor far from the optimum: with
 * p ≈ 1/O, H is small and an undamped step moves the logits roughly O times too far, so the damping has to grow
 * until the step is close to a gradient step, and progress is much slower than with the squared error.
 *
 * <p>J is never formed: Θ_B comes from the structured kernel (per layer, a Gram of the inputs and a Gram of the
 * back-propagated deltas), and Jᵀ·v is one backward pass with output cotangent v.
 *
 * <p>Limits: λ → 0 gives the minimum-norm Gauss–Newton step (for a linear model and the squared error, the
 * exact least-squares solution in one step); λ → ∞ gives Δθ → −Jᵀ·g/λ, a gradient step of size η/λ on the
 * <em>summed</em> batch loss Σ_i ℓ_i (m times the mean loss the objective reports).
 *
 * <h2>Damping</h2>
 * λ = damping · s, where s is the mean diagonal tr(H·Θ_B)/(m·O) of the system's kernel term when {@code relative}
 * (the default) and 1 otherwise — for the squared error with H = I, the kernel's mean diagonal — so the default
 * damping depends neither on the network's scale nor on a constant factor in the loss. When {@code adaptive} (the
 * default), each step is tried at θ + η·Δθ: if the mean batch loss does not increase it is accepted and the
 * damping shrinks by {@code shrink}; otherwise it is rejected, the damping grows by {@code grow} and the step is
 * solved again with the same kernel, up to {@code max-rejections} times (then the update is zero). Accepted
 * steps therefore never increase the batch loss. A solve that fails because λ is too small for working
 * precision (not positive definite, singular) counts as a rejection. The damping stays within [{@code min-damping},
 * {@code max-damping}].
 */
public final class ProximalNtk implements Optimizer<ProximalNtk.State> {

    /** The registered name. */
    public static final String NAME = "proximal-ntk";

    private final double learningRate;
    private final double damping;
    private final boolean relative;
    private final boolean adaptive;
    private final double shrink;
    private final double grow;
    private final int maxRejections;
    private final double minDamping;
    private final double maxDamping;

    private ProximalNtk(double learningRate, double damping, boolean relative, boolean adaptive, double shrink,
                        double grow, int maxRejections, double minDamping, double maxDamping) {
        this.learningRate = OptionChecks.positive("lr", learningRate);
        this.damping = OptionChecks.positive("damping", damping);
        this.relative = relative;
        this.adaptive = adaptive;
        this.shrink = OptionChecks.inUnitInterval("shrink", shrink, false);
        this.grow = OptionChecks.positive("grow", grow);
        if (grow <= 1) {
            throw new IllegalArgumentException("optimizer option 'grow' must be > 1, got " + grow);
        }
        if (maxRejections < 0) {
            throw new IllegalArgumentException("optimizer option 'max-rejections' must be >= 0, got " + maxRejections);
        }
        this.maxRejections = maxRejections;
        this.minDamping = OptionChecks.positive("min-damping", minDamping);
        this.maxDamping = OptionChecks.positive("max-damping", maxDamping);
        if (minDamping > maxDamping || damping < minDamping || damping > maxDamping) {
            throw new IllegalArgumentException("need min-damping <= damping <= max-damping, got " + minDamping + ", "
                    + damping + ", " + maxDamping);
        }
    }

    /** @return the defaults: η = 1, damping 1e-3 relative to the mean kernel diagonal, adaptive */
    public static ProximalNtk defaults() {
        return new ProximalNtk(1, 1e-3, true, true, 0.5, 4, 6, 1e-9, 1e9);
    }

    /**
     * @param learningRate η, finite and &gt; 0
     * @return a copy with that step scale
     */
    public ProximalNtk withLearningRate(double learningRate) {
        return new ProximalNtk(learningRate, damping, relative, adaptive, shrink, grow, maxRejections, minDamping,
                maxDamping);
    }

    /**
     * @param damping the initial damping, within the bounds
     * @param relative whether λ = damping · (mean kernel diagonal) rather than λ = damping
     * @param adaptive whether to accept or reject steps and adapt the damping
     * @return a copy with those settings
     */
    public ProximalNtk withDamping(double damping, boolean relative, boolean adaptive) {
        return new ProximalNtk(learningRate, damping, relative, adaptive, shrink, grow, maxRejections,
                Math.min(minDamping, damping), Math.max(maxDamping, damping));
    }

    /**
     * @param shrink the factor in (0, 1) after an accepted step
     * @param grow the factor &gt; 1 after a rejected one
     * @param maxRejections the retries per iteration, ≥ 0
     * @return a copy with that schedule
     */
    public ProximalNtk withSchedule(double shrink, double grow, int maxRejections) {
        return new ProximalNtk(learningRate, damping, relative, adaptive, shrink, grow, maxRejections, minDamping,
                maxDamping);
    }

    /**
     * @param minDamping the lower bound, &gt; 0
     * @param maxDamping the upper bound, ≥ the lower
     * @return a copy with those bounds
     */
    public ProximalNtk withBounds(double minDamping, double maxDamping) {
        return new ProximalNtk(learningRate, damping, relative, adaptive, shrink, grow, maxRejections, minDamping,
                maxDamping);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public State init(Params params) {
        return new State(0, damping, 0, Double.NaN);
    }

    @Override
    public Update<State> update(Objective objective, State state, Params params) {
        Backend b = objective.backend();
        double current = state.damping();
        int rejections = 0;
        try (TensorScope scope = b.scope(); Linearization lin = objective.linearize(params)) {
            int n = lin.samples() * lin.outputs();
            DType dtype = lin.outputGradient().dtype();
            double loss0 = lin.loss();
            Tensor kernel = lin.kernel();
            double c = lin.isotropicHessian();
            boolean symmetric = Double.isFinite(c);
            Tensor system = symmetric ? kernel : objective.timed(Phase.SOLVE, () -> lin.hessianTimes(kernel));
            double hessianFactor = symmetric ? c : 1;
            double scale = relative ? hessianFactor * b.trace(system) / n : 1;
            if (!(scale > 0) || !Double.isFinite(scale)) {
                scale = 1; // a zero kernel (dead network): fall back to absolute damping
            }
            Tensor rhs = b.reshape(lin.outputGradient(), n, 1);
            Tensor a = b.zeros(n, n, dtype);
            Tensor v = b.zeros(n, 1, dtype);
            while (true) {
                double lambda = current * scale;
                if (!solve(objective, hessianFactor, system, lambda, a, rhs, v, symmetric)) {
                    rejections++;
                    current = Math.min(current * grow, maxDamping);
                    if (rejections > maxRejections) {
                        return new Update<>(keep(scope, params.zerosLike()), new State(state.count() + 1, current,
                                state.rejected() + rejections, loss0));
                    }
                    continue;
                }
                Tensor u = b.reshape(v, lin.samples(), lin.outputs());
                Params updates = lin.vjp(u);
                objective.timed(Phase.UPDATE, () -> {
                    updates.scale(-learningRate); // in place: no second parameter-sized copy
                    return null;
                });
                if (!adaptive) {
                    return new Update<>(keep(scope, updates), new State(state.count() + 1, current, state.rejected(),
                            loss0));
                }
                Params trial = objective.timed(Phase.UPDATE, () -> Optimizers.applyUpdates(params, updates));
                double loss1 = objective.loss(trial);
                trial.close();
                if (loss1 <= loss0) {
                    double next = Math.max(current * shrink, minDamping);
                    return new Update<>(keep(scope, updates), new State(state.count() + 1, next,
                            state.rejected() + rejections, loss0));
                }
                updates.close();
                rejections++;
                current = Math.min(current * grow, maxDamping);
                if (rejections > maxRejections) {
                    return new Update<>(keep(scope, params.zerosLike()), new State(state.count() + 1, current,
                            state.rejected() + rejections, loss0));
                }
            }
        }
    }

    /**
     * v ← (factor·system + λ·I)⁻¹·rhs, factoring in a's storage; false when λ is too small for working
     * precision.
     */
    private static boolean solve(Objective objective, double factor, Tensor system, double lambda, Tensor a,
                                 Tensor rhs, Tensor v, boolean symmetric) {
        Backend b = objective.backend();
        double n = a.rows();
        objective.flops(symmetric ? "solve.cholesky" : "solve.lu", (symmetric ? 1.0 / 3 : 2.0 / 3) * n * n * n
                + 2 * n * n);
        return objective.timed(Phase.SOLVE, () -> {
            b.scale(factor, system, a);
            b.addToDiagonal(lambda, a);
            try {
                if (symmetric) {
                    b.choleskySolveInPlace(a, rhs, v);
                } else {
                    b.luSolveInPlace(a, rhs, v);
                }
                return true;
            } catch (NotPositiveDefiniteException | SingularMatrixException e) {
                return false; // λ too small for working precision: treated as a rejected step
            }
        });
    }

    @Override
    public State restore(double[] scalars, List<Tensor> tensors, Params params) {
        OptionChecks.stateShape(NAME, scalars, 4, tensors, 0);
        return new State((long) scalars[0], scalars[1], (long) scalars[2], scalars[3]);
    }

    private static Params keep(TensorScope scope, Params p) {
        return p.keepIn(scope);
    }

    @Override
    public String toString() {
        return "proximal-ntk(lr=" + learningRate + ", damping=" + damping + (relative ? " relative" : " absolute")
                + (adaptive ? ", adaptive" : ", fixed") + ")";
    }

    /**
     * The proximal NTK optimizer's state.
     *
     * @param count the number of iterations taken
     * @param damping the damping for the next step (relative to the kernel's mean diagonal when so configured)
     * @param rejected the total number of rejected trial steps
     * @param lastLoss the batch loss before the last step (NaN before the first)
     */
    public record State(long count, double damping, long rejected, double lastLoss) implements OptimizerState {
        @Override
        public double[] scalars() {
            return new double[] {count, damping, rejected, lastLoss};
        }

        @Override
        public List<Tensor> tensors() {
            return List.of();
        }
    }

    /** Provides {@code proximal-ntk}. */
    public static final class Provider extends BuiltInProvider {
        /** Public for the service loader. */
        public Provider() {
            super(NAME, Map.of("lr", "step scale η on Δθ (default 1)",
                    "damping", "initial damping λ (default 1e-3)",
                    "relative", "λ relative to the kernel's mean diagonal (default true)",
                    "adaptive", "Levenberg–Marquardt accept/reject and adaptation (default true)",
                    "shrink", "damping factor after an accepted step (default 0.5)",
                    "grow", "damping factor after a rejected step (default 4)",
                    "max-rejections", "retries per iteration before giving up (default 6)",
                    "min-damping", "lower bound on the damping (default 1e-9)",
                    "max-damping", "upper bound on the damping (default 1e9)"), Provider::fromOptions);
        }

        private static ProximalNtk fromOptions(OptimizerOptions o) {
            ProximalNtk d = defaults();
            return new ProximalNtk(o.getDouble("lr", d.learningRate), o.getDouble("damping", d.damping),
                    o.getBoolean("relative", d.relative), o.getBoolean("adaptive", d.adaptive),
                    o.getDouble("shrink", d.shrink), o.getDouble("grow", d.grow),
                    o.getInt("max-rejections", d.maxRejections), o.getDouble("min-damping", d.minDamping),
                    o.getDouble("max-damping", d.maxDamping));
        }
    }
}
