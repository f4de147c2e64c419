package org.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Exit codes, help texts and error reporting of the {@code ntk4j} command. */
class CommandLineTest {

    @Test
    @DisplayName("no command and unknown options are usage errors: exit 2, one line and a pointer to --help")
    void usageErrors() {
        Cli none = Cli.run();
        assertEquals(2, none.code());
        assertTrue(none.err().contains("missing command"), none.err());
        Cli bad = Cli.run("bench", "--no-such-option");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("Unknown option: '--no-such-option'"), bad.err());
        assertTrue(bad.err().contains("Try 'ntk4j bench --help'"), bad.err());
        Cli badValue = Cli.run("bench", "--sizes", "x");
        assertEquals(2, badValue.code());
        Cli badAxes = Cli.run("kernel", "--axes", "diagonal", "--samples", "5", "--hidden", "4", "-q");
        assertEquals(2, badAxes.code(), badAxes.err());
        assertTrue(badAxes.err().contains("--axes must be traced or full"), badAxes.err());
    }

    @Test
    @DisplayName("every option of every command explains itself and names its default")
    void helpTexts() {
        CommandLine root = Ntk4j.commandLine();
        for (CommandLine sub : root.getSubcommands().values()) {
            if (sub.getCommandName().equals("help")) {
                continue;
            }
            Cli help = Cli.run(sub.getCommandName(), "--help");
            assertEquals(0, help.code(), sub.getCommandName());
            assertTrue(help.out().startsWith("Usage: ntk4j " + sub.getCommandName()), help.out());
            for (OptionSpec o : sub.getCommandSpec().options()) {
                String text = String.join(" ", o.description());
                assertFalse(text.isBlank(), sub.getCommandName() + " " + o.longestName() + " has no description");
                boolean flag = o.arity().max() == 0 || o.negatable();
                if (!flag && o.defaultValue() != null) {
                    assertTrue(text.contains("Default") , sub.getCommandName() + " " + o.longestName()
                            + " does not state its default: " + text);
                }
            }
        }
    }

    @Test
    @DisplayName("backends lists all three, gives a reason for each unavailable one, and selects nd4j where it loads")
    void backends() {
        Cli c = Cli.run("backends");
        assertEquals(0, c.code(), c.err());
        List<String> rows = c.out().lines().skip(1).toList();
        for (String name : List.of("cuda", "nd4j", "ejml")) {
            assertTrue(rows.stream().anyMatch(l -> l.substring(2).startsWith(name + " ")), name + " missing: " + c.out());
        }
        assertTrue(rows.stream().filter(l -> l.contains(" unavailable ")).allMatch(l -> l.matches(".* unavailable {2}\\S.*")),
                "an unavailable backend without a reason: " + c.out());
        boolean nd4j = rows.stream().anyMatch(l -> l.substring(2).startsWith("nd4j ") && l.contains(" available "));
        String selected = rows.stream().filter(l -> l.startsWith("* ")).map(l -> l.substring(2).split("\\s+")[0])
                .findFirst().orElse("none");
        boolean cuda = rows.stream().anyMatch(l -> l.substring(2).startsWith("cuda ") && l.contains(" available "));
        assertEquals(cuda ? "cuda" : nd4j ? "nd4j" : "ejml", selected, c.out());
    }

    @Test
    @DisplayName("a failure exits 1 with a one-line cause and no stack trace, unless --verbose")
    void failures(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path csv = tmp.resolve("nan.csv");
        java.nio.file.Files.writeString(csv, "a,b,label\n1,2,0\n3,NaN,1\n");
        String[] args = {"kernel", "-q", "--data", csv.toString(), "-o", tmp.resolve("k.npy").toString()};
        Cli c = Cli.run(args);
        assertEquals(1, c.code());
        assertEquals(List.of("ntk4j kernel: error: " + csv + ":3, column 2 (b): value is NaN (only finite numbers are"
                + " allowed)"), c.err().lines().toList());
        Cli v = Cli.run(java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of(
                "--verbose")).toArray(String[]::new));
        assertEquals(1, v.code());
        assertTrue(v.err().contains("\tat "), v.err());
    }

    @Test
    @DisplayName("an unknown backend is a usage error naming the known ones, and train leaves no run folder")
    void unknownBackend(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        Cli b = Cli.run("bench", "--backends", "ejml,nosuch", "--sizes", "8");
        assertEquals(2, b.code(), b.err());
        assertTrue(b.err().startsWith("bench: --backends: unknown backend 'nosuch'; known here: "), b.err());
        assertTrue(b.err().contains("ejml") && b.err().contains("nd4j") && b.err().contains("cuda"), b.err());
        assertEquals("", b.out());
        Cli t = Cli.run("train", "--backend", "nosuch", "--runs", tmp.toString());
        assertEquals(2, t.code(), t.err());
        assertTrue(t.err().startsWith("train: --backend: unknown backend 'nosuch'"), t.err());
        try (var entries = java.nio.file.Files.list(tmp)) {
            assertEquals(0, entries.count(), "a run folder was left behind");
        }
    }

    @Test
    @DisplayName("a missing file is named with the problem; --test-data with a bundled data set is a usage error")
    void missingFiles(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        java.nio.file.Path params = tmp.resolve("nope.npz");
        Cli k = Cli.run("kernel", "-q", "--samples", "10", "--hidden", "4", "--params", params.toString(),
                "-o", tmp.resolve("k.npy").toString());
        assertEquals(1, k.code(), k.err());
        assertEquals(List.of("ntk4j kernel: error: " + params + ": no such file"), k.err().lines().toList());
        Cli t = Cli.run("train", "-q", "--test-data", tmp.resolve("test.csv").toString());
        assertEquals(2, t.code(), t.err());
        assertTrue(t.err().startsWith("train: --test-data is for a CSV or JSON --data file; digits comes with its own"
                + " test split"), t.err());
    }

    @Test
    @DisplayName("a negative size names the option and the value")
    void negativeSizes() {
        Cli c = Cli.run("train", "--batch-size", "-1");
        assertEquals(2, c.code());
        assertEquals("train: --batch-size must be ≥ 1, got -1", c.err().lines().findFirst().orElse(""));
        Cli i = Cli.run("train", "--iterations", "0");
        assertEquals("train: --iterations must be ≥ 1, got 0", i.err().lines().findFirst().orElse(""));
        Cli a = Cli.run("train", "--target-accuracy", "NaN");
        assertEquals(2, a.code());
        assertTrue(a.err().startsWith("train: --target-accuracy must be in [0, 1]"), a.err());
    }

    @Test
    @DisplayName("a malformed data file fails with exit 1 and one line naming the file, the line and the problem")
    void malformedData(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path csv = tmp.resolve("bad.csv");
        java.nio.file.Files.writeString(csv, "a,b,label\n1,2,0\n3,oops,1\n");
        Cli c = Cli.run("train", "-q", "--data", csv.toString(), "--run-dir", tmp.resolve("run").toString());
        assertEquals(1, c.code(), c.err());
        assertTrue(c.err().startsWith("ntk4j train: error: " + csv + ":3, column 2 (b): 'oops' is not a number"),
                c.err());
        assertEquals(1, c.err().lines().count(), "one line: " + c.err());
    }

    @Test
    @DisplayName("bench reports every workload with a positive rate")
    void bench() {
        Cli c = Cli.run("bench", "--backends", "ejml", "--sizes", "16,32", "--repeat", "1", "--dims", "8");
        assertEquals(0, c.code(), c.err());
        long rows = c.out().lines().filter(l -> l.matches("\\S+\\s+ejml\\s+\\d+\\s+[0-9.]+\\s+[0-9.]+")).count();
        assertEquals(2L * c.out().lines().skip(1).map(l -> l.split("\\s+")[0]).distinct().count(), rows, c.out());
        assertTrue(rows >= 6, c.out());
    }
}
