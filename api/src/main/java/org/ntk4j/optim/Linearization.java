package org.ntk4j.optim;

import org.ntk4j.nn.Params;
import org.ntk4j.tensor.Tensor;

/**
 * A network linearized at parameters θ on a batch of m samples with O outputs:
 * f(θ + Δ) ≈ f(θ) + J·Δ, with J the (m·O × P) Jacobian, never formed. Output-space vectors are laid out
 * sample-major: entry (i, a) of an m×O tensor is row i·O + a of the m·O×1 column that the kernel multiplies.
 *
 * <p>The per-sample loss ℓ_i = ℓ(f_i, y_i) enters through its output gradient g_i = ∂ℓ_i/∂f_i and Hessian
 * H_i = ∂²ℓ_i/∂f_i² (for ½‖f − y‖²: g = f − y, H = I; for softmax cross-entropy: g = p − y,
 * H = diag(p) − p·pᵀ with p the softmax of f). Any constant factor of the loss appears in g and H alike.
 *
 * <p>Tensors returned by {@link #outputGradient()} and {@link #kernel()} are owned by the linearization and
 * closed with it; the others are new and owned by the caller.
 */
public interface Linearization extends AutoCloseable {

    /** @return the number of samples m in the batch */
    int samples();

    /** @return the number of outputs O per sample */
    int outputs();

    /** @return the mean batch loss (1/m)·Σ ℓ_i at θ */
    double loss();

    /** @return g, the m×O per-sample output gradients ∂ℓ_i/∂f_i (not divided by m); do not modify */
    Tensor outputGradient();

    /**
     * @return c when every H_i is c·I (the squared error: c = 1 for ½‖f − y‖², 1/O for the mean over outputs),
     *     so that H·A = c·A and the proximal system stays symmetric; NaN otherwise
     */
    double isotropicHessian();

    /**
     * @param a an (m·O)×k tensor in the sample-major layout (not modified)
     * @return a new (m·O)×k tensor H·A with H the block-diagonal output Hessian
     */
    Tensor hessianTimes(Tensor a);

    /**
     * The full empirical NTK of the batch, Θ = J·Jᵀ, computed on the first call (the {@link Phase#KERNEL}
     * phase) from the structured kernel, never from J.
     *
     * @return the (m·O × m·O) kernel, symmetric positive semi-definite; do not modify
     */
    Tensor kernel();

    /**
     * The vector–Jacobian product Jᵀ·u: one backward pass with output cotangent u (the {@link Phase#BACKWARD}
     * phase).
     *
     * @param cotangent u, an m×O tensor (not modified)
     * @return Jᵀ·u, alike the parameters; the caller closes it
     */
    Params vjp(Tensor cotangent);

    /** Closes the tensors the linearization owns. Idempotent. */
    @Override
    void close();
}
