package org.ntk4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ntk4j.io.MalformedDataException;

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
        if (nTest == 0 || nTest == data.size()) {
            throw new IllegalArgumentException(data.name() + ": " + data.size() + " samples are too few for a test"
                    + " fraction of " + testFraction + ": the " + (nTest == 0 ? "test" : "training") + " split would"
                    + " be empty");
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
     * Checks the classes of a split and sets both sides' class count to the largest training label + 1:
     * training must hold at least two classes, every test label must occur in training, and unless gaps are
     * allowed the training labels must be 0..K−1 with every class present.
     *
     * @param allowGaps whether training labels may skip classes (0, 2, 7)
     * @param gapHint words appended to the message for a gap, naming how to allow it (may be empty)
     * @return the split with the class counts set
     * @throws MalformedDataException naming the data set and the label at fault
     */
    public Split checkedClasses(boolean allowGaps, String gapHint) throws MalformedDataException {
        boolean[] seen = new boolean[Dataset.MAX_CLASSES];
        int max = 0;
        int distinct = 0;
        for (int i = 0; i < train.size(); i++) {
            int c = train.label(i);
            distinct += seen[c] ? 0 : 1;
            seen[c] = true;
            max = Math.max(max, c);
        }
        if (distinct < 2) {
            throw new MalformedDataException(train.name() + ": every training sample has label " + train.label(0)
                    + "; a classifier needs at least two classes");
        }
        if (!allowGaps && distinct != max + 1) {
            List<Integer> missing = new ArrayList<>();
            for (int c = 0; c <= max && missing.size() < 5; c++) {
                if (!seen[c]) {
                    missing.add(c);
                }
            }
            throw new MalformedDataException(train.name() + ": training labels run up to " + max + " but no sample"
                    + " has label " + missing.toString().replaceAll("[\\[\\]]", "") + (max + 1 - distinct > 5 ? ", …" : "")
                    + " (labels must be 0.." + max + " with every class present" + gapHint + ")");
        }
        for (int i = 0; i < test.size(); i++) {
            int c = test.label(i);
            if (!seen[c]) {
                throw new MalformedDataException(test.name() + ": test sample " + (i + 1) + " has label " + c
                        + ", which no training sample of " + train.name() + " has");
            }
        }
        return new Split(withClasses(train, max + 1), withClasses(test, max + 1));
    }

    private static Dataset withClasses(Dataset d, int classes) {
        return d.classes() == classes ? d
                : new Dataset(d.name(), d.features(), d.size(), d.sampleShape(), d.labels(), classes);
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
