package org.ntk4j.tck;

import org.ntk4j.tensor.DType;

/**
 * The kit's tolerance table: one row per dtype, every numeric comparison of the kit takes its bound from here.
 *
 * <p>Arithmetic results are held to rounding-error bounds that scale with the unit roundoff {@code u} and
 * the magnitudes involved (for a sum of n terms, about n·u·Σ|terms|, whatever the summation order and
 * whether fused multiply-adds are used). Transcendental results (activations, duals) are held to relative
 * plus absolute bounds, because backends may use their own implementations of erf, tanh or exp.
 *
 * @param unitRoundoff u, half the distance from 1 to the next number: 2⁻⁵³ for F64, 2⁻²⁴ for F32
 * @param functionRel relative bound for {@code map} and {@code mapDerivative} against the scalar reference
 * @param functionAbs absolute bound added to {@code functionRel}
 * @param finiteDifference bound for {@code mapDerivative} against a central difference of
 *     {@code Activation.apply} (step 1e-5)
 * @param dualRel relative bound for {@code dualMap} against the closed forms and the host reference
 * @param dualAbs absolute bound added to {@code dualRel}
 * @param quadratureRel relative bound for {@code dualMap} of the kinds without a closed form (TANH, GELU,
 *     SIGMOID, SOFTPLUS) against the host reference (adaptive trapezoidal quadrature, below 1e-11 absolute
 *     error), at variances up to about 1.5: a backend may compute the same rule on its device (it then agrees
 *     to about 1e-14) or any rule accurate to about 1e-11; F32 keeps the general dual bounds
 * @param quadratureAbs absolute bound added to {@code quadratureRel}
 */
public record Tolerance(double unitRoundoff, double functionRel, double functionAbs, double finiteDifference,
                        double dualRel, double dualAbs, double quadratureRel, double quadratureAbs) {

    /** F64: rounding at 2⁻⁵³; transcendental functions within a few thousand ulp. */
    public static final Tolerance F64 = new Tolerance(0x1p-53, 1e-12, 1e-15, 1e-6, 1e-10, 1e-12, 1e-10, 1e-10);

    /**
     * F32: rounding at 2⁻²⁴; transcendental functions within a few dozen ulp; duals near perfect correlation
     * lose about √u in arccos, hence the looser dual bounds.
     */
    public static final Tolerance F32 = new Tolerance(0x1p-24, 4e-6, 1e-6, 2e-5, 2e-3, 2e-4, 2e-3, 2e-4);

    /**
     * @param dtype the element type
     * @return its row of the table
     */
    public static Tolerance of(DType dtype) {
        switch (dtype) {
            case F64: return F64;
            case F32: return F32;
            default: throw new IllegalArgumentException("no tolerances for " + dtype);
        }
    }

    /**
     * The bound on a result built from {@code terms} rounded operations on values of magnitude up to
     * {@code magnitude}: {@code 2·(terms + 2)·u·magnitude}, the classical γ bound with the reference's own
     * rounding counted as well.
     *
     * @param terms the number of terms summed (1 for a single operation)
     * @param magnitude Σ|terms|, the scale of the result
     * @return the allowed absolute error
     */
    public double rounding(int terms, double magnitude) {
        return 2.0 * (terms + 2) * unitRoundoff * magnitude;
    }
}
