package org.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    @DisplayName("backends lists the EJML backend as available and selected")
    void backends() {
        Cli c = Cli.run("backends");
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().lines().anyMatch(l -> l.startsWith("* ejml") && l.contains("available")), c.out());
    }

    @Test
    @DisplayName("a failure exits 1 with a one-line cause and no stack trace, unless --verbose")
    void failures() {
        Cli c = Cli.run("bench", "--backends", "nosuch", "--sizes", "8");
        assertEquals(1, c.code());
        assertTrue(c.err().startsWith("ntk4j bench: error: "), c.err());
        assertTrue(c.err().contains("nosuch"), c.err());
        assertFalse(c.err().contains("\tat "), c.err());
        Cli v = Cli.run("bench", "--backends", "nosuch", "--sizes", "8", "--verbose");
        assertEquals(1, v.code());
        assertTrue(v.err().contains("\tat "), v.err());
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
        assertEquals(2, c.err().lines().count(), "the cause and the --verbose hint: " + c.err());
    }

    @Test
    @DisplayName("bench reports every workload with a positive rate")
    void bench() {
        Cli c = Cli.run("bench", "--sizes", "16,32", "--repeat", "1", "--dims", "8");
        assertEquals(0, c.code(), c.err());
        long rows = c.out().lines().filter(l -> l.matches("\\S+\\s+ejml\\s+\\d+\\s+[0-9.]+\\s+[0-9.]+")).count();
        assertEquals(2L * c.out().lines().skip(1).map(l -> l.split("\\s+")[0]).distinct().count(), rows, c.out());
        assertTrue(rows >= 6, c.out());
    }
}
