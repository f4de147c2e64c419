package org.ntk4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** When a run counts as diverged: non-finite, far above the first batch loss, or rising evaluation after evaluation. */
class DivergenceWatchTest {

    @Test
    @DisplayName("the first batch loss is the reference; a training loss more than factor times it is a blow-up")
    void ratio() {
        DivergenceWatch w = new DivergenceWatch(1e3, 5, Double.NaN);
        assertNull(w.batchLoss(0.9));
        assertEquals(0.9, w.reference(), 0.0);
        assertNull(w.batchLoss(9.8e4), "a single batch may spike; only non-finite batch losses count");
        assertNull(w.evaluation(900.0), "exactly 1000 times is still allowed");
        assertEquals("the training loss 9.800e+04 is more than 1000 times the initial 0.9000", w.evaluation(9.8e4));
    }

    @Test
    @DisplayName("NaN and infinite losses always count; a resumed run keeps its recorded reference")
    void nonFinite() {
        DivergenceWatch w = new DivergenceWatch(Double.POSITIVE_INFINITY, 0, 2.0);
        assertEquals("the batch loss is NaN", w.batchLoss(Double.NaN));
        assertEquals("the training loss is Infinity", w.evaluation(Double.POSITIVE_INFINITY));
        assertNull(w.evaluation(1e300), "an infinite factor turns the ratio test off");
        assertEquals(2.0, w.reference(), 0.0);
    }

    @Test
    @DisplayName("k rises in a row above the reference count; a fall resets the count; rises below it never count")
    void rising() {
        DivergenceWatch w = new DivergenceWatch(1e3, 3, 1.0);
        for (double l : new double[] {0.5, 0.6, 0.7, 0.8, 0.9}) {
            assertNull(w.evaluation(l), "rising but below the first loss: ordinary noise");
        }
        assertNull(w.evaluation(1.1));
        assertNull(w.evaluation(1.2));
        assertNull(w.evaluation(1.15), "a fall resets the count");
        assertNull(w.evaluation(1.3));
        assertNull(w.evaluation(1.4));
        String why = w.evaluation(1.5);
        assertNotNull(why);
        assertTrue(why.startsWith("the training loss rose at 3 evaluations in a row, to 1.5"), why);
    }
}
