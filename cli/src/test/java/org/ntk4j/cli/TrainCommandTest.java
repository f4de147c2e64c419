package org.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntk4j.io.Json;
import org.ntk4j.io.Npz;
import org.ntk4j.nn.Loss;
import org.ntk4j.train.MlpArchitecture;
import org.ntk4j.train.TrainingConfig;
import picocli.CommandLine;

/** {@code ntk4j train}: the run folder, resuming, and bad options. */
class TrainCommandTest {

    /** A small, quick run: the first 300 digits, a narrow network (add --iterations). */
    static final List<String> SHORT_RUN = List.of("--limit", "300", "--hidden", "32", "--batch-size", "16",
            "--eval-every", "3", "--target-accuracy", "0", "--spectrum-samples", "40");

    @TempDir
    Path tmp;

    private Cli train(Path dir, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "-q", "--run-dir", dir.toString()));
        args.addAll(SHORT_RUN);
        if (!List.of(extra).contains("--iterations")) {
            args.addAll(List.of("--iterations", "12"));
        }
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(new String[0]));
    }

    @Test
    @DisplayName("a run leaves config, one metrics row per iteration, a checkpoint, plots and a summary")
    @SuppressWarnings("unchecked")
    void runFolder() throws Exception {
        Path dir = tmp.resolve("run");
        Cli c = train(dir);
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().matches("test accuracy 0\\.\\d{4}, test loss .* after 12 iterations in \\S+ s\\R"),
                "--quiet prints the result line only: " + c.out());
        assertEquals("", c.err(), "--quiet shows no progress");
        List<String> rows = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals(13, rows.size(), "header + 12 iterations");
        assertEquals(String.join(",", TrainReport.COLUMNS), rows.get(0));
        for (int i = 1; i <= 12; i++) {
            String[] cells = rows.get(i).split(",", -1);
            assertEquals(String.valueOf(i), cells[0]);
            assertTrue(Double.parseDouble(cells[3]) > 0, "batch loss in row " + i);
            assertEquals(i % 3 == 0, !cells[7].isEmpty(), "test accuracy only at evaluations, row " + i);
            assertTrue(Double.parseDouble(cells[TrainReport.COLUMNS.indexOf("kernel_s")]) > 0, "kernel time, row " + i);
        }
        Map<String, Object> config = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("config.json")), "c");
        assertEquals("proximal-ntk", config.get("optimizer"));
        assertEquals(Map.of(), config.get("optimizer_options"));
        assertEquals(List.of(64L, 32L, 10L), ((Map<String, Object>) config.get("model")).get("widths"));
        Map<String, Object> summary = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("summary.json")), "s");
        assertEquals(12L, summary.get("iterations"));
        double acc = (Double) summary.get("test_accuracy");
        assertTrue(acc > 0.5, "a short run still learns: " + acc);
        assertTrue(Npz.read(dir.resolve("checkpoint.npz")).containsKey("param.W0"));
        for (String png : new String[] {"loss.png", "accuracy.png", "damping.png", "spectrum.png"}) {
            assertTrue(ImageIO.read(dir.resolve(png).toFile()).getWidth() == 900, png);
        }
    }

    @Test
    @DisplayName("off a terminal, train prints plain progress lines: a budget it may stop short of, and the end")
    void plainProgress() {
        Path dir = tmp.resolve("plain");
        List<String> args = new java.util.ArrayList<>(List.of("train", "--run-dir", dir.toString()));
        args.addAll(List.of("--limit", "300", "--hidden", "32", "--batch-size", "16", "--spectrum-samples", "0",
                "--iterations", "6", "--target-accuracy", "0.99", "--eval-every", "1"));
        Cli c = Cli.run(args.toArray(new String[0]));
        assertEquals(0, c.code(), c.err());
        assertFalse(c.err().contains("\r") || c.err().contains("\u001b"), "no bar redrawing off a terminal: " + c.err());
        List<String> lines = c.err().lines().toList();
        assertTrue(lines.size() >= 2, c.err());
        for (String line : lines) {
            assertTrue(line.matches("train: \\d of at most 6 it  .* (left|done)  loss .*"), line);
        }
        assertTrue(lines.get(lines.size() - 1).matches("train: 6 of at most 6 it .* done .*"), c.err());
        assertTrue(c.out().startsWith("training mlp[64-32-10"), c.out());
        assertTrue(c.out().contains("test accuracy "), c.out());
    }

    @Test
    @DisplayName("the command's defaults are the library's TrainingConfig.defaults()")
    void defaultsAreTheLibrarys() {
        TrainCommand t = new TrainCommand();
        new CommandLine(t).parseArgs();
        TrainingConfig d = TrainingConfig.defaults();
        MlpArchitecture m = (MlpArchitecture) d.model();
        assertArrayEquals(m.hidden(), t.model.hiddenWidths());
        assertEquals(m.activation(), t.model.activation());
        assertEquals(m.parameterization(), t.model.parameterization());
        assertEquals(m.sigmaW(), t.model.sigmaW, 1e-15);
        assertEquals(m.sigmaB(), t.model.sigmaB, 0.0);
        assertEquals(d.loss(), Loss.parse(t.loss));
        assertEquals(d.optimizer().name(), t.optimizer);
        assertEquals(d.batchSize(), t.batchSize);
        assertEquals(d.maxIterations(), t.iterations);
        assertEquals(d.evalEvery(), t.evalEvery);
        assertEquals(d.targetAccuracy(), t.targetAccuracy, 0.0);
        assertEquals("digits", t.data.data);
    }

    @Test
    @DisplayName("resuming from a checkpoint continues the same trajectory as an uninterrupted run")
    void resume() throws Exception {
        Path whole = tmp.resolve("whole");
        assertEquals(0, train(whole).code());
        Path first = tmp.resolve("first");
        assertEquals(0, train(first, "--iterations", "6").code());
        Path second = tmp.resolve("second");
        Cli c = train(second, "--resume", first.toString());
        assertEquals(0, c.code(), c.err());
        List<String> a = Files.readAllLines(whole.resolve("metrics.csv"));
        List<String> b = Files.readAllLines(second.resolve("metrics.csv"));
        assertEquals(7, b.size(), "header + iterations 7..12");
        for (int i = 1; i < b.size(); i++) {
            String[] x = a.get(i + 6).split(",", -1);
            String[] y = b.get(i).split(",", -1);
            assertEquals(x[0], y[0]);
            assertEquals(x[3], y[3], "batch loss of iteration " + x[0]);
            assertEquals(x[7], y[7], "test accuracy of iteration " + x[0]);
        }
        assertArrayEquals(Npz.read(whole.resolve("checkpoint.npz")).get("param.W1").toDoubles(),
                Npz.read(second.resolve("checkpoint.npz")).get("param.W1").toDoubles(), 0.0);
    }

    @Test
    @DisplayName("other optimizers run too; bad options are usage errors naming the option")
    void optionsAndErrors() {
        Cli adam = train(tmp.resolve("adam"), "--optimizer", "adam", "--opt", "lr=0.01");
        assertEquals(0, adam.code(), adam.err());
        Cli unknown = train(tmp.resolve("x"), "--optimizer", "lbfgs");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown optimizer 'lbfgs'"), unknown.err());
        Cli badKey = train(tmp.resolve("y"), "--opt", "momentum=0.9");
        assertEquals(2, badKey.code());
        assertTrue(badKey.err().contains("momentum"), badKey.err());
        Cli hold = Cli.run("train", "--hold");
        assertEquals(2, hold.code());
        assertTrue(hold.err().contains("--hold needs --metrics-port"), hold.err());
        Cli resume = train(tmp.resolve("z"), "--resume", tmp.resolve("nothing").toString());
        assertEquals(2, resume.code());
        assertTrue(resume.err().contains("no checkpoint there"), resume.err());
    }
}
