package org.ntk4j.backend.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The pure-Java arccos against the JDK's {@link StrictMath#acos}. */
class AcosTest {

    @Test
    @DisplayName("agrees with StrictMath.acos within 1 ulp of π on random, tiny and edge arguments")
    void matchesStrictMath() {
        SplittableRandom r = new SplittableRandom(7);
        double tol = Math.ulp(Math.PI);
        for (int i = 0; i < 200_000; i++) {
            double x = r.nextDouble(-1, 1);
            assertEquals(StrictMath.acos(x), Acos.acos(x), tol, "acos(" + x + ")");
        }
        for (double x : new double[] {-1, 1, 0, -0.0, 0.5, -0.5, Math.nextDown(0.5), Math.nextUp(-0.5), 1e-300,
            -1e-20, Math.nextDown(1.0), Math.nextUp(-1.0), 0.999999999999, -0.999999999999}) {
            assertEquals(StrictMath.acos(x), Acos.acos(x), tol, "acos(" + x + ")");
        }
        assertTrue(Double.isNaN(Acos.acos(1.5)));
        assertTrue(Double.isNaN(Acos.acos(Double.NaN)));
    }

    @Test
    @DisplayName("near ±1 the relative error of π − θ and θ stays at rounding level")
    void accurateNearTheEnds() {
        for (double e = 1e-3; e > 1e-15; e /= 7) {
            double hi = StrictMath.acos(1 - e);
            assertEquals(hi, Acos.acos(1 - e), 4 * Math.ulp(hi), "acos(1 − " + e + ")");
            double lo = StrictMath.acos(-1 + e);
            assertEquals(lo, Acos.acos(-1 + e), 4 * Math.ulp(lo), "acos(−1 + " + e + ")");
        }
    }
}
