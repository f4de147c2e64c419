package org.ntk4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.ntk4j.io.MalformedDataException;

class DatasetTest {

    @Test
    @DisplayName("standardize gives the same values at 1e300 and at 1e-300 as at 1: mean 0, deviation 1")
    void standardizeExtremes() {
        double[] base = {1, -1, 2, -2, 3, 7};
        for (double scale : new double[] {1, 1e300, 1e-300}) {
            double[] x = base.clone();
            for (int i = 0; i < x.length; i++) {
                x[i] *= scale;
            }
            Dataset d = new Dataset("d", x, 6, 1, new int[] {0, 1, 0, 1, 0, 1}, 2).standardized(
                    new Dataset("r", x, 6, 1, new int[] {0, 1, 0, 1, 0, 1}, 2));
            // closed form: mean 10/6, population deviation sqrt(68/6 − (10/6)²)
            double mean = 10 / 6.0;
            double sd = Math.sqrt(68 / 6.0 - mean * mean);
            double[] z = d.features();
            for (int i = 0; i < z.length; i++) {
                assertEquals((base[i] - mean) / sd, z[i], 1e-12, "scale " + scale + ", value " + i);
            }
        }
    }

    @Test
    @DisplayName("too many classes for the samples is refused before a one-hot matrix could overflow")
    void classLimit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset("d", new double[] {1, 2}, 2, 1, new int[] {0, 1}, Dataset.MAX_CLASSES + 1));
        assertTrue(e.getMessage().contains("65537 classes for 2 samples are too many"), e.getMessage());
    }

    @Test
    @DisplayName("class checks: two classes at least, no test label unseen in training, gaps only when allowed")
    void checkedClasses() throws MalformedDataException {
        Dataset train = new Dataset("tr", new double[] {1, 2, 3}, 3, 1, new int[] {0, 2, 2}, 3);
        Dataset test = new Dataset("te", new double[] {1}, 1, 1, new int[] {2}, 3);
        MalformedDataException gap = assertThrows(MalformedDataException.class,
                () -> new Split(train, test).checkedClasses(false, ""));
        assertEquals("tr: training labels run up to 2 but no sample has label 1 (labels must be 0..2 with every"
                + " class present)", gap.getMessage());
        assertEquals(3, new Split(train, test).checkedClasses(true, "").test().classes());
        Dataset unseen = new Dataset("te", new double[] {1}, 1, 1, new int[] {1}, 3);
        assertThrows(MalformedDataException.class, () -> new Split(train, unseen).checkedClasses(true, ""));
        Dataset one = new Dataset("tr", new double[] {1, 2}, 2, 1, new int[] {2, 2}, 3);
        assertThrows(MalformedDataException.class, () -> new Split(one, test).checkedClasses(true, ""));
    }
}
