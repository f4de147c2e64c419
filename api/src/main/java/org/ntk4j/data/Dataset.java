package org.ntk4j.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * An in-memory labelled data set on the host: n samples of d features, row-major, with class labels.
 * Instances are immutable: the arrays are copied in and out.
 */
public final class Dataset {

    private final String name;
    private final double[] features;
    private final int[] labels;
    private final int rows;
    private final int dims;
    private final int classes;

    /**
     * @param name a short name for reports ("digits", a file name)
     * @param features row-major n×d values, finite (copied)
     * @param rows n, ≥ 1
     * @param dims d, ≥ 1
     * @param labels n class labels in [0, classes) (copied)
     * @param classes the number of classes, ≥ 1
     * @throws IllegalArgumentException naming the first bad value (non-finite feature, label out of range)
     *     or the mismatched sizes
     */
    public Dataset(String name, double[] features, int rows, int dims, int[] labels, int classes) {
        this.name = Objects.requireNonNull(name, "name");
        if (rows < 1 || dims < 1 || classes < 1) {
            throw new IllegalArgumentException(name + ": need at least one sample, feature and class, got n=" + rows
                    + ", d=" + dims + ", classes=" + classes);
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
        return new Dataset(subsetName, x, indices.length, dims, y, classes);
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
        return new Dataset(name, x, rows, dims, labels, classes);
    }

    /**
     * Standardizes every feature to mean 0 and standard deviation 1 with the statistics of {@code reference}
     * (pass the training split so that the test split is scaled the same way). Constant features become 0.
     *
     * @param reference the data set whose per-feature mean and deviation are used (not modified)
     * @return the standardized data set
     */
    public Dataset standardized(Dataset reference) {
        if (reference.dims != dims) {
            throw new IllegalArgumentException("standardize: " + reference.name + " has " + reference.dims
                    + " features, " + name + " has " + dims);
        }
        double[] mean = new double[dims];
        double[] sq = new double[dims];
        for (int i = 0; i < reference.rows; i++) {
            for (int j = 0; j < dims; j++) {
                double v = reference.features[i * dims + j];
                mean[j] += v;
                sq[j] += v * v;
            }
        }
        double[] x = features.clone();
        for (int j = 0; j < dims; j++) {
            mean[j] /= reference.rows;
            double var = Math.max(sq[j] / reference.rows - mean[j] * mean[j], 0);
            double sd = Math.sqrt(var);
            for (int i = 0; i < rows; i++) {
                x[i * dims + j] = sd > 1e-12 ? (x[i * dims + j] - mean[j]) / sd : 0;
            }
        }
        return new Dataset(name, x, rows, dims, labels, classes);
    }

    @Override
    public String toString() {
        return name + " (" + rows + " samples × " + dims + " features, " + classes + " classes)";
    }
}
