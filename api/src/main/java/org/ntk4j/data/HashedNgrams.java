package org.ntk4j.data;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns text into a fixed-length feature vector by signed feature hashing of word n-grams (Weinberger et al.
 * 2009): the text is lower-cased and split into words (letters, digits and apostrophes), every n-gram of 1 to
 * {@code maxN} words is hashed (32-bit FNV-1a of its UTF-8 bytes) to one of {@code dims} buckets with a sign
 * from a second hash, and the vector is scaled to unit length. Deterministic across runs and machines.
 *
 * @param dims the number of features, ≥ 1
 * @param maxN the longest n-gram, ≥ 1
 */
public record HashedNgrams(int dims, int maxN) {

    /**
     * @param dims the number of features, ≥ 1
     * @param maxN the longest n-gram, ≥ 1
     */
    public HashedNgrams {
        if (dims < 1 || maxN < 1) {
            throw new IllegalArgumentException("hashed n-grams need dims ≥ 1 and n ≥ 1, got dims=" + dims + ", n=" + maxN);
        }
    }

    /**
     * @param text any text
     * @return its words, lower-cased
     */
    public static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+")) {
            String t = w.replaceAll("^'+|'+$", "");
            if (!t.isEmpty()) {
                words.add(t);
            }
        }
        return words;
    }

    /**
     * @param text the text
     * @param out the feature vector to fill, length {@link #dims()} (modified: overwritten)
     */
    public void featurize(String text, double[] out) {
        java.util.Arrays.fill(out, 0, dims, 0);
        List<String> w = words(text);
        for (int n = 1; n <= maxN; n++) {
            for (int i = 0; i + n <= w.size(); i++) {
                String gram = n == 1 ? w.get(i) : String.join(" ", w.subList(i, i + n));
                int h = fnv1a(gram);
                int bucket = Integer.remainderUnsigned(h, dims);
                out[bucket] += (mix(h) & 1) == 0 ? 1 : -1;
            }
        }
        double norm = 0;
        for (int j = 0; j < dims; j++) {
            norm += out[j] * out[j];
        }
        if (norm > 0) {
            double s = 1 / Math.sqrt(norm);
            for (int j = 0; j < dims; j++) {
                out[j] *= s;
            }
        }
    }

    /**
     * @param sentences labelled texts (not modified)
     * @param name the data set's name
     * @param classes the number of classes
     * @return the n×dims data set
     */
    public Dataset dataset(List<Sentence> sentences, String name, int classes) {
        double[] x = new double[sentences.size() * dims];
        int[] y = new int[sentences.size()];
        double[] row = new double[dims];
        for (int i = 0; i < y.length; i++) {
            featurize(sentences.get(i).text(), row);
            System.arraycopy(row, 0, x, i * dims, dims);
            y[i] = sentences.get(i).label();
        }
        return new Dataset(name, x, y.length, dims, y, classes);
    }

    /** 32-bit FNV-1a of the UTF-8 bytes. */
    static int fnv1a(String s) {
        int h = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return h;
    }

    /** MurmurHash3's 32-bit finalizer, for a sign independent of the bucket. */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
