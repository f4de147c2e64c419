package org.ntk4j.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * An in-memory labelled data set on the host: n samples of d features, row-major, with class labels.
 * Instances are immutable: the arrays are copied in and out.
 *
 * <p>Each sample also has a logical shape whose product is d: (d) for tabular data, (H, W, C) for images, row-major
 * with channels last (IDX images of n×28×28 are (28, 28, 1)). Models with convolutions read it; MLPs see d
 * features. Subsets, rescaling and standardization keep it.
 */
public final class Dataset {

    /** The most classes a data set may have (labels 0..65535). */
    public static final int MAX_CLASSES = 1 << 16;

    private final String name;
    private final double[] features;
    private final int[] labels;
    private final int rows;
    private final int dims;
    private final int classes;
    private final int[] sampleShape;

    /**
     * A data set of vector samples, shape (d).
     *

     * @param name a short name for reports ("digits", a file name)
     * @param features row-major n×d values, finite (copied)
     * @param rows n, ≥ 1
     * @param dims d, ≥ 1
     * @param labels n class labels in [0, classes) (copied)
     * @param classes the number of classes, 1 to {@link #MAX_CLASSES}
     * @throws IllegalArgumentException naming the first bad value (non-finite feature, label out of range)
     *     or the mismatched sizes
     */
    public Dataset(String name, double[] features, int rows, int dims, int[] labels, int classes) {
        this(name, features, rows, new int[] {dims}, labels, classes);
    }

    /**
     * A data set whose samples have a logical shape.
     *
     * @param name a short name for reports ("digits", a file name)
     * @param features row-major n×d values, finite (copied)
     * @param rows n, ≥ 1
     * @param sampleShape the shape of one sample, e.g. (28, 28, 1); d is the product (copied)
     * @param labels n class labels in [0, classes) (copied)
     * @param classes the number of classes, 1 to {@link #MAX_CLASSES}
     * @throws IllegalArgumentException naming the first bad value, the mismatched sizes or a bad shape
     */
    public Dataset(String name, double[] features, int rows, int[] sampleShape, int[] labels, int classes) {
        long product = 1;
        for (int s : sampleShape) {
            if (s < 1) {
                throw new IllegalArgumentException(name + ": sample shape " + Arrays.toString(sampleShape)
                        + " has a dimension below 1");
            }
            product *= s;
        }
        if (sampleShape.length == 0 || product > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": bad sample shape " + Arrays.toString(sampleShape));
        }
        int dims = (int) product;
        this.sampleShape = sampleShape.clone();
        this.name = Objects.requireNonNull(name, "name");
        if (rows < 1 || dims < 1 || classes < 1) {
            throw new IllegalArgumentException(name + ": need at least one sample, feature and class, got n=" + rows
                    + ", d=" + dims + ", classes=" + classes);
        }
        if (classes > MAX_CLASSES || (long) rows * classes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(name + ": " + classes + " classes for " + rows + " samples are too many"
                    + " (at most " + MAX_CLASSES + " classes, and samples × classes below 2^31)");
        }
        if ((long) rows * dims != features.length) {
            throw new IllegalArgumentException(name + ": " + features.length + " feature values for " + rows + "×" + dims);
        }
        if (labels.length != rows) {
            throw new IllegalArgumentException(name + ": " + labels.length + " labels for " + rows + " samples");
        }
        for (int i = 0; i < features.length; i++) {
            if (!Double.isFinite(features[i])) {
                throw new IllegalArgumentException(name + ": sample " + i / dims + ", feature " + i % dims
                        + " is " + features[i]);
            }
        }
        for (int i = 0; i < rows; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(name + ": sample " + i + " has label " + labels[i]
                        + ", outside 0.." + (classes - 1));
            }
        }
        this.features = features.clone();
        this.labels = labels.clone();
        this.rows = rows;
        this.dims = dims;
        this.classes = classes;
    }

    /** @return the name */
    public String name() {
        return name;
    }

    /** @return the number of samples n */
    public int size() {
        return rows;
    }

    /** @return the number of features d */
    public int dims() {
        return dims;
    }

    /** @return the logical shape of one sample, (d) or e.g. (H, W, C) (a copy) */
    public int[] sampleShape() {
        return sampleShape.clone();
    }

    /**
     * @param shape a shape whose product is {@link #dims()} (not modified)
     * @return the same samples with that logical shape
     */
    public Dataset withSampleShape(int... shape) {
        return new Dataset(name, features, rows, shape, labels, classes);
    }

    /** @return the number of classes */
    public int classes() {
        return classes;
    }

    /** @return a copy of the row-major n×d features */
    public double[] features() {
        return features.clone();
    }

    /** @return a copy of the n labels */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * @param i a sample index
     * @return its label
     */
    public int label(int i) {
        return labels[i];
    }

    /** @return the row-major n×classes one-hot encoding of the labels */
    public double[] oneHot() {
        return oneHot(0, 1);
    }

    /**
     * @param off the value for the other classes (0, or −0.1 for neural-tangents' centred targets)
     * @param on the value for the labelled class
     * @return the row-major n×classes encoding of the labels
     */
    public double[] oneHot(double off, double on) {
        double[] y = new double[rows * classes];
        Arrays.fill(y, off);
        for (int i = 0; i < rows; i++) {
            y[i * classes + labels[i]] = on;
        }
        return y;
    }

    /**
     * @param indices sample indices, in the order wanted (not modified)
     * @param subsetName the name of the new data set
     * @return the samples at those indices
     */
    public Dataset subset(int[] indices, String subsetName) {
        double[] x = new double[indices.length * dims];
        int[] y = new int[indices.length];
        for (int r = 0; r < indices.length; r++) {
            System.arraycopy(features, indices[r] * dims, x, r * dims, dims);
            y[r] = labels[indices[r]];
        }
        return new Dataset(subsetName, x, indices.length, sampleShape, y, classes);
    }

    /**
     * Rescales every feature by a constant: x ← x·factor. Digits' 0..16 pixels are scaled by 1/16.
     *
     * @param factor the factor, finite
     * @return the rescaled data set
     */
    public Dataset scaled(double factor) {
        double[] x = features.clone();
        for (int i = 0; i < x.length; i++) {
            x[i] *= factor;
        }
        return new Dataset(name, x, rows, sampleShape, labels, classes);
    }

    /**
     * Standardizes every feature to mean 0 and standard deviation 1 with the statistics of {@code reference}
     * (pass the training split so that the test split is scaled the same way). Constant features (deviation
     * below 1e-12 of the largest magnitude) become 0. The statistics are taken of the feature divided by its
     * largest magnitude, so that features near the ends of the double range neither overflow nor vanish.
     *
     * @param reference the data set whose per-feature mean and deviation are used (not modified)
     * @return the standardized data set
     * @throws IllegalArgumentException if the feature counts differ or a standardized value is not finite (a
     *     test value far beyond the reference's range)
     */
    public Dataset standardized(Dataset reference) {
        if (reference.dims != dims) {
            throw new IllegalArgumentException("standardize: " + reference.name + " has " + reference.dims
                    + " features, " + name + " has " + dims);
        }
        double[] x = features.clone();
        for (int j = 0; j < dims; j++) {
            // statistics of the feature divided by its largest magnitude: no overflow at 1e300, none lost at 1e-300
            double scale = 0;
            for (int i = 0; i < reference.rows; i++) {
                scale = Math.max(scale, Math.abs(reference.features[i * dims + j]));
            }
            scale = scale > 0 ? scale : 1;
            double mean = 0;
            for (int i = 0; i < reference.rows; i++) {
                mean += reference.features[i * dims + j] / scale;
            }
            mean /= reference.rows;
            double var = 0;
            for (int i = 0; i < reference.rows; i++) {
                double dv = reference.features[i * dims + j] / scale - mean;
                var += dv * dv;
            }
            double sd = Math.sqrt(var / reference.rows); // relative to the scale
            for (int i = 0; i < rows; i++) {
                double v = sd > 1e-12 ? (x[i * dims + j] / scale - mean) / sd : 0;
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("standardize: " + name + ", sample " + i + ", feature " + j
                            + " = " + x[i * dims + j] + " becomes " + v + " with the mean and deviation of "
                            + reference.name);
                }
                x[i * dims + j] = v;
            }
        }
        return new Dataset(name, x, rows, sampleShape, labels, classes);
    }

    @Override
    public String toString() {
        String shape = sampleShape.length == 1 ? ""
                : " " + Arrays.toString(sampleShape).replace('[', '(').replace(']', ')');
        return name + " (" + rows + " samples × " + dims + " features" + shape + ", " + classes + " classes)";
    }
}
