package org.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plots, the metrics CSV and the progress display. */
class ReportsTest {

    @TempDir
    Path tmp;

    @Test
    @DisplayName("plots are PNG files of the chart size; log axes drop non-positive points; nothing to draw, no file")
    void plots() throws Exception {
        Path loss = tmp.resolve("loss.png");
        assertTrue(Plots.lines(loss, "Loss", "iteration", "loss", true, List.of(
                new Plots.Curve("train", new double[] {1, 2, 3}, new double[] {1, 0.5, 0}),
                new Plots.Curve("test", new double[] {1, 2, 3}, new double[] {Double.NaN, 0.6, 0.4}))));
        BufferedImage img = ImageIO.read(loss.toFile());
        assertEquals(900, img.getWidth());
        assertEquals(560, img.getHeight());
        Path spectrum = tmp.resolve("s.png");
        assertTrue(Plots.spectrum(spectrum, "spectrum", new double[] {-1e-9, 0.5, 3, 1e-4}));
        assertTrue(ImageIO.read(spectrum.toFile()) != null);
        Path none = tmp.resolve("none.png");
        assertFalse(Plots.spectrum(none, "spectrum", new double[] {0, -1}));
        assertFalse(Files.exists(none));
    }

    @Test
    @DisplayName("metrics.csv has a header and one complete row per append, empty cells for missing values")
    void metricsCsv() throws Exception {
        Path f = tmp.resolve("metrics.csv");
        try (MetricsCsv csv = new MetricsCsv(f, List.of("iteration", "loss", "accuracy"))) {
            csv.append(Map.of("iteration", 1.0, "loss", 0.25));
            assertEquals(List.of("iteration,loss,accuracy", "1,0.250000000,"), Files.readAllLines(f));
            csv.append(Map.of("iteration", 2.0, "loss", 0.125, "accuracy", 0.9));
            assertArrayEquals(new double[] {0.25, 0.125}, csv.column("loss"));
            assertEquals(2, csv.size());
        }
        assertEquals("2,0.125000000,0.900000000", Files.readAllLines(f).get(2));
    }

    @Test
    @DisplayName("off a terminal, progress prints a line at most every 2 s with rate and ETA, and a last one")
    void progressLines() {
        StringWriter s = new StringWriter();
        long[] now = {0};
        try (Progress p = new Progress(new PrintWriter(s), "train", "it", 100, Progress.Mode.LINES, () -> now[0])) {
            for (int i = 1; i <= 100; i++) {
                now[0] += 100_000_000L; // 10 it/s
                p.update(i, "loss 0.1");
            }
        }
        List<String> lines = s.toString().lines().toList();
        assertTrue(lines.size() >= 5 && lines.size() <= 7, s.toString());
        assertTrue(lines.get(1).matches("train:\\s+\\d+% \\d+/100 it  10\\.0 it/s  ETA \\d+\\.\\ds  elapsed .*  loss 0\\.1"),
                lines.get(1));
        assertTrue(lines.get(lines.size() - 1).startsWith("train: 100% 100/100 it"), s.toString());
    }

    @Test
    @DisplayName("a budget that training may stop short of reads \"of at most\", its time \"at most … left\", the end \"done\"")
    void progressBudget() {
        StringWriter s = new StringWriter();
        long[] now = {0};
        try (Progress p = new Progress(new PrintWriter(s), "train", "it", 200, true, Progress.Mode.LINES,
                () -> now[0])) {
            for (int i = 1; i <= 6; i++) {
                now[0] += 2_500_000_000L; // 0.4 it/s: the whole budget would take about 8 minutes
                p.update(i, "loss 0.1");
            }
            now[0] += 1_000_000_000L;
        }
        List<String> lines = s.toString().lines().toList();
        assertTrue(lines.get(0).startsWith("train: 1 of at most 200 it  0.4 it/s  elapsed 2.5s  at most 8:18 left"),
                lines.get(0));
        for (String line : lines) {
            assertFalse(line.contains("%") || line.contains("ETA"), line);
        }
        assertTrue(lines.get(lines.size() - 1).matches("train: 6 of at most 200 it .* done  loss 0\\.1"),
                s.toString());
    }

    @Test
    @DisplayName("a logarithmic axis spans whole decades, so that data within one decade still gets two labels")
    void logAxisDecades() {
        org.knowm.xchart.XYChart chart = new org.knowm.xchart.XYChartBuilder().build();
        Plots.decades(chart, 1.56e-5, 5e-4);
        assertEquals(1e-5, chart.getStyler().getYAxisMin(), 1e-20);
        assertEquals(1e-3, chart.getStyler().getYAxisMax(), 1e-18);
        Plots.decades(chart, 0.2, 0.9);
        assertEquals(0.1, chart.getStyler().getYAxisMin(), 1e-15);
        assertEquals(1, chart.getStyler().getYAxisMax(), 1e-15);
        Plots.decades(chart, 10, 10);
        assertEquals(10, chart.getStyler().getYAxisMin(), 1e-12);
        assertEquals(100, chart.getStyler().getYAxisMax(), 1e-12);
    }

    @Test
    @DisplayName("on a terminal, progress redraws one bar in place and ends the line")
    void progressBar() {
        StringWriter s = new StringWriter();
        long[] now = {0};
        try (Progress p = new Progress(new PrintWriter(s), "kernel", "tiles", 4, Progress.Mode.BAR, () -> now[0])) {
            for (int i = 1; i <= 4; i++) {
                now[0] += 1_000_000_000L;
                p.update(i, "");
            }
        }
        String text = s.toString();
        assertEquals(1, text.chars().filter(ch -> ch == '\n').count(), text);
        assertTrue(text.contains("\rkernel [" + "#".repeat(28) + "] 100% 4/4 tiles"), text);
        assertTrue(text.endsWith("\n") || text.endsWith(System.lineSeparator()));
        assertEquals("1:05", Progress.duration(65));
        assertEquals("1:01:05", Progress.duration(3665));
    }

    @Test
    @DisplayName("nothing is shown when quiet")
    void progressQuiet() {
        StringWriter s = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(s), "x", "it", 3, Progress.Mode.NONE, System::nanoTime)) {
            p.update(3, "");
        }
        assertEquals("", s.toString());
    }
}
