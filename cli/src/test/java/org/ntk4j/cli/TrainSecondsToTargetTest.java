package org.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntk4j.io.Json;

/** {@code summary.json}'s {@code train_seconds_to_target}: the training time to the target, evaluation excluded. */
class TrainSecondsToTargetTest {

    @TempDir
    Path tmp;

    @SuppressWarnings("unchecked")
    private Map<String, Object> train(Path dir, String target) throws Exception {
        List<String> args = new ArrayList<>(List.of("train", "-q", "--backend", "ejml", "--run-dir", dir.toString()));
        args.addAll(List.of("--limit", "300", "--hidden", "32", "--batch-size", "16", "--spectrum-samples", "0",
                "--iterations", "40", "--eval-every", "2", "--target-accuracy", target));
        Cli c = Cli.run(args.toArray(new String[0]));
        assertEquals(0, c.code(), c.err());
        return (Map<String, Object>) Json.parse(Files.readString(dir.resolve("summary.json")), "summary");
    }

    @Test
    @DisplayName("the sum of metrics.csv's seconds less eval_s up to the target iteration, and below seconds_to_target")
    void reached() throws Exception {
        Path dir = tmp.resolve("reached");
        Map<String, Object> summary = train(dir, "0.5");
        assertEquals("target_reached", summary.get("stop"), summary.toString());
        long target = (Long) summary.get("iterations_to_target");
        // the reference: the per-iteration wall and evaluation times the CSV records (9 significant digits)
        List<String> rows = Files.readAllLines(dir.resolve("metrics.csv"));
        List<String> header = List.of(rows.get(0).split(","));
        double expected = 0;
        int evaluations = 0;
        for (String row : rows.subList(1, (int) target + 1)) {
            String[] cells = row.split(",", -1);
            String eval = cells[header.indexOf("eval_s")];
            expected += Double.parseDouble(cells[header.indexOf("seconds")]) - (eval.isEmpty() ? 0 : Double.parseDouble(eval));
            evaluations += eval.isEmpty() || Double.parseDouble(eval) == 0 ? 0 : 1;
        }
        double actual = (Double) summary.get("train_seconds_to_target");
        assertEquals(expected, actual, 1e-6 * target, summary.toString());
        assertTrue(evaluations >= 1 && actual > 0, summary.toString());
        assertTrue(actual < (Double) summary.get("seconds_to_target"),
                "evaluation time is excluded from train_seconds_to_target: " + summary);
    }

    @Test
    @DisplayName("null when no target was reached")
    void notReached() throws Exception {
        Map<String, Object> summary = train(tmp.resolve("none"), "0");
        assertEquals(-1L, summary.get("iterations_to_target"));
        assertTrue(summary.containsKey("train_seconds_to_target"), summary.toString());
        assertNull(summary.get("train_seconds_to_target"), summary.toString());
    }
}
