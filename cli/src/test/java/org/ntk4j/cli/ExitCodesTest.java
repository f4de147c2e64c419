package org.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntk4j.io.Json;

/**
 * The exit code rule of docs/cli.md, case by case: 2 for anything wrong on the command line (values out of range
 * included), 1 for a failure while running (missing or malformed input, too little memory, a diverged run); one
 * line each, and a failed start leaves no run folder behind.
 */
class ExitCodesTest {

    @TempDir
    Path tmp;

    /** Runs train into tmp/run with a small model, and checks the code, the first line and that no folder is left. */
    private Cli failedStart(int code, String firstLine, String... args) {
        List<String> all = new ArrayList<>(List.of("train", "-q", "--limit", "100", "--spectrum-samples", "0",
                "--iterations", "1"));
        if (!List.of(args).contains("--run-dir")) {
            all.addAll(List.of("--run-dir", tmp.resolve("run").toString()));
        }
        all.addAll(List.of(args));
        Cli c = Cli.run(all.toArray(new String[0]));
        assertEquals(code, c.code(), c.err());
        assertTrue(c.err().startsWith(firstLine), c.err());
        assertEquals(code == 2 ? 2 : 1, c.err().lines().count(), "one line (and the --help pointer): " + c.err());
        assertFalse(c.err().contains("\tat "), "no stack trace");
        assertFalse(Files.exists(tmp.resolve("run")), "a failed start leaves no run folder");
        return c;
    }

    @Test
    @DisplayName("usage errors exit 2: bad numbers, out-of-range values, overflowing sizes, an empty --run-dir")
    void usage() {
        failedStart(2, "train: --threads must be ≥ 0 (0: the backend chooses), got -1", "--threads", "-1");
        failedStart(2, "train: --metrics-port must be in [0, 65535] (0: a free port), got 70000",
                "--metrics-port", "70000");
        failedStart(2, "train: --hidden 1000000000: a 64×1000000000 weight matrix would have 64000000000 entries,"
                + " more than a Java array holds", "--hidden", "1000000000");
        failedStart(2, "train: --run-dir must name a folder (it was empty)", "--run-dir", "");
        Cli idx = Cli.run("kernel", "-q", "--kind", "analytic", "--data", "idx:" + tmp, "-o",
                tmp.resolve("k.npy").toString());
        assertEquals(1, idx.code(), "an IDX folder without its files is a missing file, a failure: " + idx.err());
    }

    @Test
    @DisplayName("failures exit 1: missing files, a port in use, test data of another width, a model too big for the heap")
    void failures() throws Exception {
        failedStart(1, "ntk4j train: error: --data " + tmp.resolve("nope.csv") + ": not a bundled data set",
                "--data", tmp.resolve("nope.csv").toString());
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            failedStart(1, "ntk4j train: error: cannot serve metrics on 127.0.0.1:" + taken.getLocalPort(),
                    "--metrics-port", String.valueOf(taken.getLocalPort()));
        }
        Path train = tmp.resolve("train.csv");
        Path test = tmp.resolve("test.csv");
        Files.writeString(train, "a,b,label\n0,1,0\n1,0,1\n0,2,0\n2,0,1\n");
        Files.writeString(test, "a,b,c,label\n0,1,0,0\n1,0,1,1\n");
        failedStart(1, "ntk4j train: error: the test data has 3 features, the training data 2", "--data",
                train.toString(), "--test-data", test.toString());
        failedStart(1, "ntk4j train: error: --hidden 30000,30000: the model's 9.02e+08 parameters (6 float64 copies):"
                + " at least", "--hidden", "30000,30000");
        Cli big = Cli.run("train", "-q", "--hidden", "30000,30000", "--run-dir", tmp.resolve("run").toString());
        assertTrue(big.err().contains("raise it with JAVA_OPTS=-Xmx… or lower --hidden"), big.err());
    }

    @Test
    @DisplayName("a folder that holds a run is refused without --overwrite; a resume must keep batch size and seed")
    void runFolderAndResume() throws Exception {
        Path dir = tmp.resolve("done");
        List<String> run = List.of("train", "-q", "--limit", "100", "--hidden", "8", "--spectrum-samples", "0",
                "--target-accuracy", "0", "--activation", "leaky_relu(0.1)", "--run-dir", dir.toString());
        run = new ArrayList<>(run);
        run.addAll(List.of("--iterations", "2"));
        Cli first = Cli.run(run.toArray(new String[0]));
        assertEquals(0, first.code(), first.err());
        Path marker = dir.resolve("notes.txt");
        Files.writeString(marker, "mine");
        Cli again = Cli.run(run.toArray(new String[0]));
        assertEquals(2, again.code(), again.err());
        assertTrue(again.err().startsWith("train: --run-dir " + dir + " already holds accuracy.png, checkpoint.npz,"),
                again.err());
        for (String[] change : new String[][] {{"--batch-size", "32"}, {"--seed", "7"}}) {
            List<String> resume = new ArrayList<>(run);
            resume.addAll(List.of("--resume", dir.toString(), change[0], change[1]));
            Cli c = Cli.run(resume.toArray(new String[0]));
            assertEquals(2, c.code(), c.err());
            assertTrue(c.err().startsWith("train: --resume " + dir + ": the checkpoint was written with "), c.err());
        }
        Files.writeString(dir.resolve(".loss.png.x1.tmp"), "left by a killed plot");
        List<String> more = new ArrayList<>(run.subList(0, run.size() - 2));
        more.addAll(List.of("--resume", dir.toString(), "--iterations", "4"));
        Cli resumed = Cli.run(more.toArray(new String[0]));
        assertEquals(0, resumed.code(), resumed.err());
        List<String> rows = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals(5, rows.size(), "the log of iterations 1 and 2 is continued with 3 and 4: " + rows);
        for (int i = 1; i <= 4; i++) {
            assertTrue(rows.get(i).startsWith(i + ","), rows.get(i));
        }
        assertFalse(Files.exists(dir.resolve(".loss.png.x1.tmp")), "temporaries of a killed run are removed");
        List<String> over = new ArrayList<>(run);
        over.add("--overwrite");
        Cli replaced = Cli.run(over.toArray(new String[0]));
        assertEquals(0, replaced.code(), replaced.err());
        assertEquals(3, Files.readAllLines(dir.resolve("metrics.csv")).size(), "a new log");
        assertEquals("mine", Files.readString(marker), "--overwrite replaces the run's files only");
    }

    @Test
    @DisplayName("adam at lr 1000 blows up without NaN: exit 1, one line, the summary says diverged, no spectrum failure")
    @SuppressWarnings("unchecked")
    void divergence() throws Exception {
        Path dir = tmp.resolve("diverged");
        Cli c = Cli.run("train", "-q", "--optimizer", "adam", "--opt", "lr=1000", "--hidden", "64", "-b", "64",
                "--iterations", "40", "--target-accuracy", "0", "--limit", "300", "--spectrum-samples", "32",
                "--checkpoint-every", "1", "--run-dir", dir.toString());
        assertEquals(1, c.code(), c.err());
        assertEquals(1, c.err().lines().count(), c.err());
        assertTrue(c.err().startsWith("ntk4j train: error: training diverged at iteration "), c.err());
        assertTrue(c.err().contains("times the initial"), c.err());
        Map<String, Object> summary = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("summary.json")),
                "summary.json");
        assertEquals("diverged", summary.get("stop"));
    }
}
