package org.ntk4j.cli.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntk4j.data.CsvFormat;
import org.ntk4j.data.CsvLoader;
import org.ntk4j.data.IdxLoader;
import org.ntk4j.data.SentenceLoader;
import org.ntk4j.io.MalformedDataException;
import org.ntk4j.io.Npy;
import org.ntk4j.io.NpyArray;
import org.ntk4j.io.Npz;

/**
 * Feeds random byte mutations of valid files to every loader: each must load or fail with a
 * {@link MalformedDataException} of one line naming the file, never another exception. The seed is fixed and
 * the count bounded ({@value #MUTATIONS} per format).
 */
class LoaderMutationTest {

    private static final int MUTATIONS = 200;

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"csv", "csv.gz", "idx", "idx.gz", "npy", "npz", "npz-stored", "json"})
    @DisplayName("mutated files load or fail with one line naming the file")
    void mutations(String format) throws IOException {
        byte[] valid = valid(format);
        load(format, write(valid, "valid"));
        SplittableRandom random = new SplittableRandom(format.hashCode());
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] bad = mutate(valid, random);
            Path file = write(bad, "m" + i);
            try {
                load(format, file);
            } catch (MalformedDataException e) {
                assertEquals(1, e.getMessage().lines().count(), e.getMessage());
                assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
            } catch (Exception | StackOverflowError | OutOfMemoryError e) {
                fail(format + " mutation " + i + " (" + Arrays.toString(Arrays.copyOf(bad, Math.min(bad.length, 64)))
                        + "…): " + e, e);
            }
        }
    }

    private Path write(byte[] bytes, String name) throws IOException {
        Path f = tmp.resolve(name + "-" + Integer.toHexString(Arrays.hashCode(bytes)));
        Files.write(f, bytes);
        return f;
    }

    private static void load(String format, Path file) throws IOException {
        switch (format) {
            case "csv", "csv.gz" -> CsvLoader.load(file, CsvFormat.DEFAULT);
            case "idx", "idx.gz" -> IdxLoader.read(file, 0);
            case "npy" -> Npy.read(file);
            case "npz", "npz-stored" -> Npz.read(file);
            case "json" -> SentenceLoader.load(file, 2);
            default -> throw new AssertionError(format);
        }
    }

    private byte[] valid(String format) throws IOException {
        return switch (format) {
            case "csv" -> Corpus.csv();
            case "csv.gz" -> Corpus.gzip(Corpus.csv());
            case "idx" -> Corpus.idx(8, new int[] {8, 2, 2}, new double[32]);
            case "idx.gz" -> Corpus.gzip(Corpus.idx(0x0D, new int[] {8, 2, 2}, new double[32]));
            case "npy" -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                Npy.write(out, NpyArray.ofDoubles(new double[] {1, 2, 3, 4, 5, 6}, 2, 3));
                yield out.toByteArray();
            }
            case "npz", "npz-stored" -> {
                Path f = tmp.resolve("valid." + format);
                Npz.write(f, Corpus.params(), format.equals("npz"));
                yield Files.readAllBytes(f);
            }
            case "json" -> "[{\"text\": \"good food\", \"class\": 1}, {\"text\": \"bad\", \"class\": 0}]"
                    .getBytes(StandardCharsets.UTF_8);
            default -> throw new AssertionError(format);
        };
    }

    /** One to four changes: a byte set at random, a bit flipped, a byte dropped or repeated, or a cut. */
    private static byte[] mutate(byte[] valid, SplittableRandom random) {
        byte[] b = valid.clone();
        for (int k = random.nextInt(1, 5); k > 0 && b.length > 0; k--) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(5)) {
                case 0 -> b[at] = (byte) random.nextInt(256);
                case 1 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 2 -> b = concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, at + 1, b.length));
                case 3 -> b = concat(Arrays.copyOf(b, at + 1), Arrays.copyOfRange(b, at, b.length));
                default -> b = Arrays.copyOf(b, at);
            }
        }
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
