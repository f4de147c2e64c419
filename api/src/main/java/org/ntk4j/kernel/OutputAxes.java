package org.ntk4j.kernel;

/**
 * How a kernel of a network with O outputs treats the output axis.
 *
 * <ul>
 *   <li>{@link #FULL}: the N·O × N·O kernel; row and column index i·O + a is sample i, output a
 *       (neural-tangents' flattening of {@code (N, O, N, O)} with {@code trace_axes=()}).</li>
 *   <li>{@link #TRACED}: the N × N kernel averaged over outputs, (1/O)·Σ_a Θ_aa(x, x') — neural-tangents'
 *       default {@code trace_axes=(-1,)}, which also averages, so that it has the analytic kernel's scale.</li>
 * </ul>
 */
public enum OutputAxes {
    /** Every pair of outputs. */
    FULL,
    /** The mean over outputs of the diagonal output pairs. */
    TRACED
}
