package org.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.ntk4j.io.Json;
import org.ntk4j.train.Checkpoint;

/**
 * {@code ntk4j train} in a child JVM: a second run into its folder is refused while it runs; SIGINT and SIGTERM end
 * it after a whole iteration with checkpoint.npz and summary.json written and exit code 130; a resume into the
 * same folder continues its metrics.csv.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class InterruptTest {

    @TempDir
    Path tmp;

    private Process start(Path dir, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                Ntk4j.class.getName(), "train", "-q", "--run-dir", dir.toString(), "--limit", "300", "--hidden", "16",
                "--batch-size", "16", "--iterations", "100000", "--target-accuracy", "0", "--eval-every", "1000",
                "--spectrum-samples", "0"));
        cmd.addAll(List.of(extra));
        return new ProcessBuilder(cmd).redirectOutput(tmp.resolve("out.txt").toFile())
                .redirectError(tmp.resolve("err.txt").toFile()).start();
    }

    private static void waitForRows(Process p, Path csv, int rows) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.exists(csv) || Files.readAllLines(csv).size() < rows + 1) {
            assertTrue(p.isAlive(), "the run ended early");
            assertTrue(System.nanoTime() < deadline, "no progress in " + csv);
            Thread.sleep(100);
        }
    }

    @SuppressWarnings("unchecked")
    private long checkInterrupted(Process p, Path dir) throws Exception {
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the run did not stop");
        String err = Files.readString(tmp.resolve("err.txt"));
        assertEquals(130, p.exitValue(), err);
        List<String> lines = err.lines().toList();
        assertEquals(1, lines.size(), "one line: " + err);
        assertTrue(lines.get(0).matches("train: interrupted after iteration \\d+; wrote checkpoint.npz and"
                + " summary.json in .* \\(--resume .* continues\\)"), err);
        Map<String, Object> summary = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("summary.json")),
                "summary.json");
        assertEquals("interrupted", summary.get("stop"));
        long n = (Long) summary.get("iterations");
        assertEquals(n, Checkpoint.read(dir.resolve("checkpoint.npz")).iteration(), "the checkpoint is of the end");
        List<String> rows = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals(n + 1, rows.size(), "header and one row per iteration");
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(rows.get(i).startsWith(i + ","), "row " + i + " is iteration " + i + ": " + rows.get(i));
        }
        return n;
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    @DisplayName("a running folder is locked; SIGINT, then SIGTERM after a resume in place, write the run and exit 130")
    void interruptAndResume() throws Exception {
        Path dir = tmp.resolve("run");
        Process first = start(dir);
        try {
            waitForRows(first, dir.resolve("metrics.csv"), 2);
            Cli second = Cli.run("train", "-q", "--run-dir", dir.toString(), "--overwrite", "--limit", "50",
                    "--hidden", "4", "--iterations", "1", "--spectrum-samples", "0");
            assertEquals(1, second.code(), second.err());
            assertEquals("ntk4j train: error: run folder " + dir + " is in use by process " + first.pid(),
                    second.err().strip());
            new ProcessBuilder("kill", "-INT", String.valueOf(first.pid())).inheritIO().start().waitFor();
            long n = checkInterrupted(first, dir);

            Process resumed = start(dir, "--resume", dir.toString());
            try {
                waitForRows(resumed, dir.resolve("metrics.csv"), (int) n + 2);
                resumed.destroy(); // SIGTERM
                assertTrue(checkInterrupted(resumed, dir) >= n + 2, "the resumed run went on");
            } finally {
                resumed.destroyForcibly();
            }
        } finally {
            first.destroyForcibly();
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file is left");
        }
        assertTrue(new File(dir.toFile(), RunFolder.LOCK).exists());
    }
}
