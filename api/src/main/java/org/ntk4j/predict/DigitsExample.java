package org.ntk4j.predict;

import java.util.Locale;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.Backends;
import org.ntk4j.data.Digits;
import org.ntk4j.data.Split;

/**
 * Prints the test accuracy of infinite-width NTK regression on the bundled digits data set, on the default
 * backend (or the one named by the {@code ntk4j.backend} system property).
 */
public final class DigitsExample {

    private DigitsExample() {
    }

    /**
     * @param args ignored
     */
    public static void main(String[] args) {
        Split split = Digits.standardSplit();
        KernelRegression regression = KernelRegression.defaults();
        try (Backend backend = Backends.create()) {
            KernelRegression.Result r = regression.fit(backend, split);
            System.out.printf(Locale.ROOT, "%s on %s: %d train, %d test, backend %s%n", regression, "digits",
                    split.train().size(), split.test().size(), backend.name());
            System.out.printf(Locale.ROOT, "test accuracy %.4f (%d/%d) in %.2f s%n", r.accuracy(),
                    Math.round(r.accuracy() * split.test().size()), split.test().size(), r.nanos() / 1e9);
        }
    }
}
