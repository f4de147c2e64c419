package org.ntk4j.nn;

/**
 * How a dense layer scales its weights and biases (DESIGN §4–5).
 *
 * <ul>
 *   <li>{@link #NTK}: z = (σ_w/√n)·x·W + σ_b·b with W, b ~ N(0, 1) — the parameterization whose empirical
 *       NTK converges to the analytic one as the width grows.</li>
 *   <li>{@link #STANDARD}: z = x·W + b with W ~ N(0, σ_w²/n), b ~ N(0, σ_b²).</li>
 * </ul>
 * Here n is the layer's input width.
 */
public enum Parameterization {
    /** Unit-variance parameters, scale in the forward pass. */
    NTK,
    /** Scale in the initialization, plain forward pass. */
    STANDARD
}
