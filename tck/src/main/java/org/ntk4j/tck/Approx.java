package org.ntk4j.tck;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.IntToDoubleFunction;

/**
 * Elementwise comparisons with bounds, whose failure messages name the operation, the element, both values
 * and the bound.
 */
public final class Approx {

    private Approx() {
    }

    /**
     * Asserts exact equality of shape and every element (NaN equal to NaN; −0 equal to +0).
     *
     * @param what the operation, for the message
     * @param expected the reference (not modified)
     * @param actual the backend's result (not modified)
     */
    public static void assertExact(String what, HostMatrix expected, HostMatrix actual) {
        assertShape(what, expected, actual);
        for (int i = 0; i < expected.data().length; i++) {
            double e = expected.data()[i];
            double a = actual.data()[i];
            if (!(e == a || (Double.isNaN(e) && Double.isNaN(a)))) {
                fail(what + ": element " + index(expected, i) + " is " + a + ", expected exactly " + e);
            }
        }
    }

    /**
     * Asserts |actual − expected| ≤ bound for every element, the bound computed per element.
     *
     * @param what the operation, for the message
     * @param expected the reference (not modified)
     * @param actual the backend's result (not modified)
     * @param bound the allowed absolute error per element, from the element's index
     */
    public static void assertWithin(String what, HostMatrix expected, HostMatrix actual,
                                    IntToDoubleFunction bound) {
        assertShape(what, expected, actual);
        for (int i = 0; i < expected.data().length; i++) {
            double e = expected.data()[i];
            double a = actual.data()[i];
            double b = bound.applyAsDouble(i);
            if (!(Math.abs(a - e) <= b)) {
                fail(what + ": element " + index(expected, i) + " is " + a + ", expected " + e + " within " + b
                        + " (error " + Math.abs(a - e) + ")");
            }
        }
    }

    /**
     * Asserts |actual − expected| ≤ rel·|expected| + abs for every element.
     *
     * @param what the operation, for the message
     * @param expected the reference (not modified)
     * @param actual the backend's result (not modified)
     * @param rel the relative bound
     * @param abs the absolute bound
     */
    public static void assertClose(String what, HostMatrix expected, HostMatrix actual, double rel, double abs) {
        assertWithin(what, expected, actual, i -> rel * Math.abs(expected.data()[i]) + abs);
    }

    /**
     * Asserts the rounding-error bound of {@link Tolerance#rounding} with the given number of terms, relative
     * to a per-element magnitude.
     *
     * @param what the operation, for the message
     * @param expected the reference (not modified)
     * @param actual the backend's result (not modified)
     * @param magnitude Σ|terms| per element (not modified)
     * @param terms the number of terms summed per element
     * @param tolerance the dtype's tolerances
     */
    public static void assertRounding(String what, HostMatrix expected, HostMatrix actual, HostMatrix magnitude,
                                      int terms, Tolerance tolerance) {
        assertWithin(what, expected, actual, i -> tolerance.rounding(terms, magnitude.data()[i]));
    }

    private static void assertShape(String what, HostMatrix expected, HostMatrix actual) {
        if (expected.rows() != actual.rows() || expected.cols() != actual.cols()) {
            fail(what + ": result has shape " + actual.shape() + ", expected " + expected.shape());
        }
    }

    private static String index(HostMatrix m, int i) {
        return "(" + i / m.cols() + ", " + i % m.cols() + ") of " + m.shape();
    }
}
