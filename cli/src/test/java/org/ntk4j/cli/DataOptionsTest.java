package org.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntk4j.data.Split;
import org.ntk4j.io.MalformedDataException;
import picocli.CommandLine;

/** How --data and its companions resolve to a split. */
class DataOptionsTest {

    @TempDir
    Path tmp;

    private static DataOptions parse(String... args) {
        DataOptions d = new DataOptions();
        new CommandLine(d).parseArgs(args);
        return d;
    }

    @Test
    @DisplayName("digits is the default: the standard 1,438/359 split")
    void digits() throws IOException {
        Split s = parse().load(42);
        assertEquals(1438, s.train().size());
        assertEquals(359, s.test().size());
        assertEquals(64, s.train().dims());
    }

    @Test
    @DisplayName("sentiment:yelp hashes sentences into --hash-dims features and holds out a stratified fifth")
    void sentiment() throws IOException {
        Split s = parse("--data", "sentiment:yelp", "--hash-dims", "128").load(1);
        assertEquals(800, s.train().size());
        assertEquals(200, s.test().size());
        assertEquals(128, s.train().dims());
        UsageException e = assertThrows(UsageException.class, () -> parse("--data", "sentiment:tweets").load(1));
        assertTrue(e.getMessage().contains("amazon, imdb, yelp"), e.getMessage());
    }

    @Test
    @DisplayName("a CSV file with a separate test file, a chosen label column, standardized and limited")
    void csv() throws IOException {
        Path train = tmp.resolve("train.csv");
        Files.writeString(train, "label,a,b\n0,1,10\n1,2,20\n0,3,30\n1,4,40\n");
        Path test = tmp.resolve("test.csv");
        Files.writeString(test, "label,a,b\n1,2.5,25\n");
        Split s = parse("--data", train.toString(), "--test-data", test.toString(), "--label-column", "0",
                "--standardize", "--limit", "3").load(0);
        assertEquals(3, s.train().size());
        assertEquals(2, s.train().classes());
        assertEquals(2, s.test().classes());
        double[] x = s.test().features();
        // standardized with the three training rows a = 1, 2, 3: mean 2, sd sqrt(2/3)
        assertEquals(0.5 / Math.sqrt(2.0 / 3), x[0], 1e-12);
        Files.writeString(test, "label,a,b\n1,2.5\n");
        MalformedDataException bad = assertThrows(MalformedDataException.class,
                () -> parse("--data", train.toString(), "--test-data", test.toString()).load(0));
        assertTrue(bad.getMessage().contains("test.csv:2: ragged row"), bad.getMessage());
    }

    @Test
    @DisplayName("classes: at least two, test labels seen in training, no gaps unless --sparse-labels")
    void classes() throws IOException {
        Path train = tmp.resolve("train.csv");
        Path test = tmp.resolve("test.csv");
        Files.writeString(test, "a,label\n1,2\n");
        Files.writeString(train, "a,label\n1,0\n2,1\n");
        MalformedDataException unseen = assertThrows(MalformedDataException.class,
                () -> parse("--data", train.toString(), "--test-data", test.toString()).load(0));
        assertEquals("test.csv: test sample 1 has label 2, which no training sample of train.csv has",
                unseen.getMessage());
        Files.writeString(train, "a,label\n1,1\n2,1\n");
        MalformedDataException one = assertThrows(MalformedDataException.class,
                () -> parse("--data", train.toString(), "--test-data", test.toString()).load(0));
        assertEquals("train.csv: every training sample has label 1; a classifier needs at least two classes",
                one.getMessage());
        Files.writeString(train, "a,label\n1,0\n2,2\n3,5\n");
        MalformedDataException gap = assertThrows(MalformedDataException.class,
                () -> parse("--data", train.toString(), "--test-data", test.toString()).load(0));
        assertEquals("train.csv: training labels run up to 5 but no sample has label 1, 3, 4 (labels must be 0..5"
                + " with every class present; --sparse-labels allows gaps)", gap.getMessage());
        Split s = parse("--data", train.toString(), "--test-data", test.toString(), "--sparse-labels").load(0);
        assertEquals(6, s.train().classes());
        assertEquals(6, s.test().classes());
    }

    @Test
    @DisplayName("idx:DIR reads MNIST-style train and t10k files, raw or gzip")
    void idx() throws IOException {
        writeIdx(tmp.resolve("train-images-idx3-ubyte.gz"), true, new int[] {4, 2, 2}, 16);
        writeIdx(tmp.resolve("train-labels-idx1-ubyte.gz"), true, new int[] {4}, 4);
        writeIdx(tmp.resolve("t10k-images-idx3-ubyte"), false, new int[] {2, 2, 2}, 8);
        writeIdx(tmp.resolve("t10k-labels-idx1-ubyte"), false, new int[] {2}, 2);
        Split s = parse("--data", "idx:" + tmp).load(0);
        assertEquals(4, s.train().size());
        assertEquals(4, s.train().dims());
        assertEquals(2, s.test().size());
        assertEquals(s.train().classes(), s.test().classes());
        assertEquals(4.0 / 255, s.train().features()[4], 1e-15);
    }

    static void writeIdx(Path file, boolean gzip, int[] shape, int count) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
             DataOutputStream out = new DataOutputStream(gzip ? new GZIPOutputStream(raw) : raw)) {
            out.write(new byte[] {0, 0, 8, (byte) shape.length});
            for (int d : shape) {
                out.writeInt(d);
            }
            for (int i = 0; i < count; i++) {
                out.write(shape.length == 1 ? i % 3 : i);
            }
        }
    }
}
