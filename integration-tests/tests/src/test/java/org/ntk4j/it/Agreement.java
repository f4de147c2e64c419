package org.ntk4j.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Locale;

/** Element-by-element comparison of a backend's results with EJML's, with the worst discrepancy in the message. */
final class Agreement {

    private Agreement() {
    }

    /**
     * Asserts |actual − expected| ≤ absolute + relative·|expected| for every element.
     *
     * @param what what is compared, for the message
     * @param expected EJML's values (not modified)
     * @param actual the other backend's values (not modified)
     * @param relative the relative bound
     * @param absolute the absolute bound
     * @return the largest ratio of discrepancy to bound seen (≤ 1 when the assertion holds)
     */
    static double assertClose(String what, double[] expected, double[] actual, double relative, double absolute) {
        if (expected.length != actual.length) {
            fail(what + ": " + actual.length + " values, EJML has " + expected.length);
        }
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double bound = absolute + relative * Math.abs(expected[i]);
            double ratio = Math.abs(actual[i] - expected[i]) / bound;
            if (!(ratio <= worst) || Double.isNaN(actual[i])) {
                worst = Double.isNaN(actual[i]) ? Double.POSITIVE_INFINITY : ratio;
                at = i;
            }
        }
        if (!(worst <= 1)) {
            double bound = absolute + relative * Math.abs(expected[at]);
            fail(String.format(Locale.ROOT, "%s: element %d is %.17g, EJML has %.17g; difference %.3g exceeds the bound"
                    + " %.3g (relative %.3g, absolute %.3g)", what, at, actual[at], expected[at],
                    Math.abs(actual[at] - expected[at]), bound, relative, absolute));
        }
        return worst;
    }

    /**
     * @param values numbers (not modified)
     * @return the largest magnitude
     */
    static double maxAbs(double[] values) {
        double m = 0;
        for (double v : values) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
