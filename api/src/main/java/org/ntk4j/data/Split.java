package org.ntk4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A train/test split of a data set.
 *
 * @param train the training samples
 * @param test the test samples
 */
public record Split(Dataset train, Dataset test) {

    /**
     * A seeded stratified split: within every class, a shuffled {@code testFraction} of the samples (rounded
     * to the nearest whole number) goes to the test set, the rest to the training set; both keep the order
     * of the original data set.
     *
     * @param data the data set (not modified)
     * @param testFraction the fraction in the test set, in (0, 1)
     * @param seed the shuffling seed
     * @return the split
     */
    public static Split stratified(Dataset data, double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be in (0, 1), got " + testFraction);
        }
        SplittableRandom random = new SplittableRandom(seed);
        boolean[] inTest = new boolean[data.size()];
        for (int c = 0; c < data.classes(); c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < data.size(); i++) {
                if (data.label(i) == c) {
                    members.add(i);
                }
            }
            for (int i = members.size() - 1; i > 0; i--) { // Fisher–Yates
                int j = random.nextInt(i + 1);
                Integer t = members.get(i);
                members.set(i, members.get(j));
                members.set(j, t);
            }
            long take = Math.round(members.size() * testFraction);
            for (int k = 0; k < take; k++) {
                inTest[members.get(k)] = true;
            }
        }
        int nTest = 0;
        for (boolean b : inTest) {
            nTest += b ? 1 : 0;
        }
        int[] train = new int[data.size() - nTest];
        int[] test = new int[nTest];
        for (int i = 0, a = 0, b = 0; i < data.size(); i++) {
            if (inTest[i]) {
                test[b++] = i;
            } else {
                train[a++] = i;
            }
        }
        return new Split(data.subset(train, data.name() + "-train"), data.subset(test, data.name() + "-test"));
    }

    /**
     * Standardizes both sides with the training split's per-feature mean and deviation, so that no test
     * statistics leak into the features.
     *
     * @return the standardized split
     */
    public Split standardized() {
        return new Split(train.standardized(train), test.standardized(train));
    }
}
