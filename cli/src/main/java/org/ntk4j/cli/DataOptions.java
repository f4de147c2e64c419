package org.ntk4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.ntk4j.data.CsvFormat;
import org.ntk4j.data.CsvLoader;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.Digits;
import org.ntk4j.data.HashedNgrams;
import org.ntk4j.data.IdxLoader;
import org.ntk4j.data.SentenceLoader;
import org.ntk4j.data.Sentiment;
import org.ntk4j.data.Split;
import picocli.CommandLine.Option;

/** The options that choose a data set and how it is split and scaled; {@link #load} resolves them. */
final class DataOptions {

    @Option(names = {"-d", "--data"}, paramLabel = "SPEC", defaultValue = "digits",
            description = {"Data set. Default: ${DEFAULT-VALUE}. One of:",
                "- digits: the bundled 8×8 handwritten digits (1,797 samples, 10 classes);",
                "- sentiment:amazon, sentiment:imdb, sentiment:yelp: bundled review sentences (1,000 each,"
                        + " 2 classes) as hashed bag-of-n-grams;",
                "- a .csv or .csv.gz file: numeric features and an integer label column (--label-column);",
                "- a .json file of sentences [{\"text\": ..., \"class\": 0 or 1}] as hashed bag-of-n-grams;",
                "- idx:DIR, an MNIST-style folder: {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]."})
    String data;

    @Option(names = "--test-data", paramLabel = "FILE",
            description = "Separate test file for a CSV or JSON data set; without it a stratified --test-fraction"
                    + " of the data is held out.")
    Path testData;

    @Option(names = "--test-fraction", paramLabel = "F", defaultValue = "0.2",
            description = "Fraction held out for testing when there is no separate test set. Default: ${DEFAULT-VALUE}.")
    double testFraction;

    @Option(names = "--label-column", paramLabel = "N", defaultValue = "-1",
            description = "CSV label column, 0-based; negative counts from the end. Default: ${DEFAULT-VALUE} (last).")
    int labelColumn;

    @Option(names = "--header", paramLabel = "auto|yes|no", defaultValue = "auto",
            description = "Whether the CSV's first line is a header; auto takes it as one if a cell is not a number."
                    + " Default: ${DEFAULT-VALUE}.")
    String header;

    @Option(names = "--standardize", negatable = true, defaultValue = "false", fallbackValue = "true",
            description = "Standardize every feature with the training split's mean and deviation."
                    + " Default: ${DEFAULT-VALUE}.")
    boolean standardize;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "Use at most N training samples (and N/5 test samples for IDX); 0 for all."
                    + " Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--sparse-labels", defaultValue = "false",
            description = "Allow training labels with gaps (0, 2, 7); without it labels must be 0..K-1 with every"
                    + " class present. Default: ${DEFAULT-VALUE}.")
    boolean sparseLabels;

    @Option(names = "--test-limit", paramLabel = "N", defaultValue = "-1",
            description = "Use at most N test samples of an IDX folder; 0 for all. Default: N/5 of --limit.")
    int testLimit;

    @Option(names = "--hash-dims", paramLabel = "N", defaultValue = "1024",
            description = "Feature count of hashed bag-of-n-grams for text. Default: ${DEFAULT-VALUE}.")
    int hashDims;

    @Option(names = "--ngrams", paramLabel = "N", defaultValue = "2",
            description = "Longest word n-gram hashed for text. Default: ${DEFAULT-VALUE}.")
    int ngrams;

    /**
     * @param seed the seed of the stratified split
     * @return the training and test sets
     * @throws IOException if a file cannot be read or is malformed (the message names file, line and problem)
     * @throws UsageException if the options do not make sense together
     */
    Split load(long seed) throws IOException {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new UsageException("--test-fraction must be in (0, 1), got " + testFraction);
        }
        if (limit < 0) {
            throw new UsageException("--limit must be ≥ 0, got " + limit);
        }
        String spec = data.trim();
        boolean bundled = spec.equals("digits") || spec.startsWith("sentiment:") || spec.startsWith("idx:");
        if (testData != null && bundled) {
            throw new UsageException("--test-data is for a CSV or JSON --data file; " + spec
                    + " comes with its own test split");
        }
        if (testData != null && !Files.isRegularFile(testData)) {
            throw new java.io.FileNotFoundException("--test-data " + testData + ": no such file");
        }
        Split split;
        if (spec.equals("digits")) {
            split = Digits.standardSplit();
        } else if (spec.startsWith("sentiment:")) {
            String source = spec.substring("sentiment:".length());
            if (!Sentiment.SOURCES.contains(source)) {
                throw new UsageException("--data sentiment:" + source + ": unknown source; known: "
                        + String.join(", ", Sentiment.SOURCES));
            }
            split = Split.stratified(Sentiment.load(source, ngrams()), testFraction, seed);
        } else if (spec.startsWith("idx:")) {
            split = idx(Path.of(spec.substring(4)));
        } else {
            Path file = Path.of(spec);
            if (!Files.isRegularFile(file)) {
                throw new java.io.FileNotFoundException("--data " + spec + ": not a bundled data set (digits, sentiment:amazon|imdb|yelp)"
                        + " and no such file");
            }
            Dataset all = file(file);
            if (testData != null) {
                split = new Split(all, file(testData));
            } else {
                split = Split.stratified(all, testFraction, seed);
            }
        }
        if (limit > 0 && split.train().size() > limit) {
            split = new Split(split.train().subset(range(limit), split.train().name()), split.test());
        }
        split = split.checkedClasses(sparseLabels, "; --sparse-labels allows gaps");
        return standardize ? split.standardized() : split;
    }

    private HashedNgrams ngrams() {
        if (hashDims < 1 || ngrams < 1) {
            throw new UsageException("--hash-dims and --ngrams must be ≥ 1");
        }
        return new HashedNgrams(hashDims, ngrams);
    }

    private Dataset file(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            return ngrams().dataset(SentenceLoader.load(file, 2), file.getFileName().toString(), 2);
        }
        Boolean h = switch (header.toLowerCase(Locale.ROOT)) {
            case "auto" -> null;
            case "yes", "true" -> Boolean.TRUE;
            case "no", "false" -> Boolean.FALSE;
            default -> throw new UsageException("--header must be auto, yes or no, got " + header);
        };
        return CsvLoader.load(file, CsvFormat.DEFAULT.withHeader(h).withLabelColumn(labelColumn));
    }

    private Split idx(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new java.io.FileNotFoundException("--data idx:" + dir + ": not a folder");
        }
        int testRows = testLimit >= 0 ? testLimit : limit > 0 ? Math.max(1, limit / 5) : 0;
        Dataset train = IdxLoader.load(find(dir, "train-images-idx3-ubyte"), find(dir, "train-labels-idx1-ubyte"),
                limit, 255);
        Dataset test = IdxLoader.load(find(dir, "t10k-images-idx3-ubyte"), find(dir, "t10k-labels-idx1-ubyte"),
                testRows, 255);
        return new Split(train, test);
    }

    static Path find(Path dir, String base) throws java.io.FileNotFoundException {
        for (String candidate : new String[] {base, base + ".gz", base.replace("-idx", ".idx"),
            base.replace("-idx", ".idx") + ".gz"}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new java.io.FileNotFoundException("--data idx:" + dir + ": no " + base + "[.gz] in that folder");
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
