package org.ntk4j.cli.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntk4j.cli.Ntk4j;

/**
 * Runs every case of the fuzz corpus ({@code fuzz/manifest.txt}) through the command line in-process and checks
 * its exit code and its one-line message: no stack trace, no OutOfMemoryError, no StackOverflowError.
 */
class FuzzCorpusTest {

    private static final String KERNEL = "kernel -q --samples 20 --hidden 4 -o {out}/k.npy";

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeCorpus() throws IOException {
        Corpus.write(dir);
    }

    static Stream<Arguments> cases() throws IOException {
        try (InputStream in = FuzzCorpusTest.class.getResourceAsStream("/fuzz/manifest.txt")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
            return lines.stream().map(l -> {
                String[] f = l.split("\\|", -1);
                return Arguments.of(f[0].trim(), f[1].trim(), Integer.parseInt(f[2].trim()), f[3].trim());
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("a bad input gets its exit code and one line")
    void corpusCase(String name, String args, int exit, String message, @TempDir Path out) {
        String line = args.replace("KERNEL", KERNEL).replace("{dir}", dir.toString()).replace("{out}", out.toString());
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Ntk4j.run(line.split(" +"), new PrintWriter(o, true), new PrintWriter(e, true));
        String err = e.toString();
        assertFalse(err.contains("\tat ") || err.contains("Error:") || err.contains("OutOfMemory")
                || err.contains("StackOverflow"), name + ": " + err);
        assertEquals(exit, code, name + ": " + err);
        List<String> lines = err.lines().toList();
        switch (exit) {
            case 0 -> assertTrue(lines.isEmpty(), name + ": " + err);
            case 1 -> assertEquals(1, lines.size(), name + ": " + err);
            default -> assertTrue(lines.size() <= 2 && lines.get(lines.size() - 1).startsWith("Try "), name + ": " + err);
        }
        assertTrue(lines.isEmpty() || lines.get(0).contains(message), name + ": expected '" + message + "' in " + err);
        if (exit == 0) {
            assertTrue(Files.isRegularFile(out.resolve("k.npy")), name);
        }
    }
}
