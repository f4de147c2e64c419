package org.ntk4j.train;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded minibatches: every epoch is a fresh permutation of the training samples, cut into batches of the
 * configured size (the last one of an epoch may be smaller). The permutation of epoch e depends only on the
 * seed and e, so the position (epoch, batch) is the whole state of the random number generator: a checkpoint that
 * stores it resumes the exact same sequence of batches.
 */
public final class BatchSchedule {

    private final int samples;
    private final int batchSize;
    private final long seed;
    private long epoch;
    private int batch;
    private int[] permutation;

    /**
     * @param samples the number of training samples, ≥ 1
     * @param batchSize samples per batch, ≥ 1 (capped at {@code samples})
     * @param seed the shuffling seed
     * @param epoch the epoch to start in, ≥ 0
     * @param batch the batch within that epoch to start at, ≥ 0
     */
    public BatchSchedule(int samples, int batchSize, long seed, long epoch, int batch) {
        if (samples < 1 || batchSize < 1 || epoch < 0 || batch < 0) {
            throw new IllegalArgumentException("bad batch schedule: samples=" + samples + ", batch size=" + batchSize
                    + ", epoch=" + epoch + ", batch=" + batch);
        }
        this.samples = samples;
        this.batchSize = Math.min(batchSize, samples);
        this.seed = seed;
        this.epoch = epoch;
        this.batch = batch;
        if (batch >= batchesPerEpoch()) {
            throw new IllegalArgumentException("batch " + batch + " is past the " + batchesPerEpoch()
                    + " batches of an epoch");
        }
    }

    /** @return ⌈samples / batchSize⌉ */
    public int batchesPerEpoch() {
        return (samples + batchSize - 1) / batchSize;
    }

    /** @return the epoch of the next batch */
    public long epoch() {
        return epoch;
    }

    /** @return the index within its epoch of the next batch */
    public int batch() {
        return batch;
    }

    /** @return the sample indices of the next batch; advances the schedule */
    public int[] next() {
        if (permutation == null) {
            permutation = permutation(seed, epoch, samples);
        }
        int from = batch * batchSize;
        int to = Math.min(from + batchSize, samples);
        int[] out = Arrays.copyOfRange(permutation, from, to);
        if (++batch == batchesPerEpoch()) {
            batch = 0;
            epoch++;
            permutation = null;
        }
        return out;
    }

    /**
     * @param seed the shuffling seed
     * @param epoch the epoch
     * @param n the number of samples
     * @return the epoch's permutation of 0..n−1 (Fisher–Yates with a generator seeded from both)
     */
    static int[] permutation(long seed, long epoch, int n) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
