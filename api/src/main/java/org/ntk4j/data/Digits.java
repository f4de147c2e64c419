package org.ntk4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * The bundled digits data set: the 1,797 8×8 handwritten digits of the UCI Optical Recognition of
 * Handwritten Digits test split (Alpaydin &amp; Kaynak 1998, CC BY 4.0), as shipped by scikit-learn. 64
 * integer features 0..16, labels 0..9. See {@code digits.rst} beside the data for the description.
 */
public final class Digits {

    /** The number of samples. */
    public static final int SAMPLES = 1797;
    /** The number of features (8×8 pixels). */
    public static final int FEATURES = 64;
    /** The number of classes. */
    public static final int CLASSES = 10;
    /** The seed of the standard 80/20 split used by examples, the CLI and the README figures. */
    public static final long SPLIT_SEED = 42;

    private static final String RESOURCE = "digits.csv.gz";

    private Digits() {
    }

    /** @return the whole data set, pixels 0..16 as they are */
    public static Dataset load() {
        try (InputStream raw = Digits.class.getResourceAsStream(RESOURCE)) {
            if (raw == null) {
                throw new IllegalStateException("the bundled resource org/ntk4j/data/" + RESOURCE + " is missing");
            }
            return parse(new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the bundled digits data set", e);
        }
    }

    /**
     * The standard split: pixels scaled to [0, 1], stratified 80/20 with seed {@value #SPLIT_SEED}
     * (1,438 training and 359 test samples).
     *
     * @return the split
     */
    public static Split standardSplit() {
        return Split.stratified(load().scaled(1.0 / 16), 0.2, SPLIT_SEED);
    }

    private static Dataset parse(BufferedReader in) throws IOException {
        double[] x = new double[SAMPLES * FEATURES];
        int[] y = new int[SAMPLES];
        int row = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",");
            if (row >= SAMPLES || cells.length != FEATURES + 1) {
                throw new IllegalStateException("bundled digits data is corrupt at line " + (row + 1));
            }
            for (int j = 0; j < FEATURES; j++) {
                x[row * FEATURES + j] = Double.parseDouble(cells[j]);
            }
            y[row++] = Integer.parseInt(cells[FEATURES].trim());
        }
        if (row != SAMPLES) {
            throw new IllegalStateException("bundled digits data has " + row + " rows, expected " + SAMPLES);
        }
        return new Dataset("digits", x, SAMPLES, new int[] {8, 8, 1}, y, CLASSES);
    }
}
