package org.ntk4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.ntk4j.io.AtomicFiles;

/** The run folder's PNG charts, drawn with XChart: curves per iteration and a kernel eigenvalue spectrum. */
final class Plots {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;

    /** A named curve: x and y values of equal length; non-finite points are left out. */
    record Curve(String name, double[] x, double[] y) {
    }

    private Plots() {
    }

    /**
     * Writes a line chart of curves over iterations.
     *
     * @param file the PNG to write (through a temporary file and a move)
     * @param title the chart title
     * @param xLabel the x axis title
     * @param yLabel the y axis title
     * @param logY whether the y axis is logarithmic (non-positive points are then left out)
     * @param curves the curves (not modified); empty ones are skipped
     * @return whether a chart was written (false when no curve has a point)
     * @throws IOException if the file cannot be written
     */
    static boolean lines(Path file, String title, String xLabel, String yLabel, boolean logY, List<Curve> curves)
            throws IOException {
        return lines(file, title, xLabel, yLabel, logY, curves, Styler.LegendPosition.InsideNE);
    }

    /**
     * Writes a line chart of curves over iterations with the legend where it hides least.
     *
     * @param file the PNG to write (through a temporary file and a move)
     * @param title the chart title
     * @param xLabel the x axis title
     * @param yLabel the y axis title
     * @param logY whether the y axis is logarithmic (non-positive points are then left out)
     * @param curves the curves (not modified); empty ones are skipped
     * @param legend where the legend goes (InsideSE for rising curves)
     * @return whether a chart was written (false when no curve has a point)
     * @throws IOException if the file cannot be written
     */
    static boolean lines(Path file, String title, String xLabel, String yLabel, boolean logY, List<Curve> curves,
                         Styler.LegendPosition legend) throws IOException {
        XYChart chart = chart(title, xLabel, yLabel);
        chart.getStyler().setLegendPosition(legend);
        chart.getStyler().setYAxisLogarithmic(logY);
        boolean any = false;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Curve c : curves) {
            double[][] xy = finite(c.x(), c.y(), logY);
            if (xy[0].length == 0) {
                continue;
            }
            for (double v : xy[1]) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            XYSeries s = chart.addSeries(c.name(), xy[0], xy[1]);
            s.setMarker(xy[0].length <= 60 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            s.setLineStyle(new BasicStroke(2f));
            any = true;
        }
        if (any) {
            if (logY) {
                decades(chart, lo, hi);
            }
            save(chart, file);
        }
        return any;
    }

    /**
     * Widens a logarithmic y axis to whole powers of ten around [lo, hi], so that at least two of its labels
     * (which XChart puts only at powers of ten) are drawn, even for data within one decade.
     *
     * @param chart the chart (modified)
     * @param lo the smallest positive value plotted
     * @param hi the largest value plotted
     */
    static void decades(XYChart chart, double lo, double hi) {
        double bottom = Math.pow(10, Math.floor(Math.log10(lo)));
        double top = Math.pow(10, Math.ceil(Math.log10(hi)));
        if (top <= bottom) {
            top = bottom * 10;
        }
        chart.getStyler().setYAxisMin(bottom);
        chart.getStyler().setYAxisMax(top);
    }

    /**
     * Writes the eigenvalue spectrum of a kernel, largest first, on a logarithmic axis.
     *
     * @param file the PNG to write
     * @param title the chart title
     * @param eigenvalues the eigenvalues in any order (not modified); non-positive ones are left out
     * @return whether a chart was written (false when no eigenvalue is positive)
     * @throws IOException if the file cannot be written
     */
    static boolean spectrum(Path file, String title, double[] eigenvalues) throws IOException {
        return spectra(file, title, java.util.Map.of("eigenvalues", eigenvalues), false);
    }

    /**
     * Writes eigenvalue spectra, each largest first, on a logarithmic axis.
     *
     * @param file the PNG to write
     * @param title the chart title
     * @param spectra eigenvalues by series name, in legend order (not modified); non-positive ones are left out
     * @param legend whether to show the legend
     * @return whether a chart was written (false when no eigenvalue is positive)
     * @throws IOException if the file cannot be written
     */
    static boolean spectra(Path file, String title, java.util.Map<String, double[]> spectra, boolean legend)
            throws IOException {
        XYChart chart = chart(title, "eigenvalue index (largest first)", "eigenvalue (log scale)");
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendVisible(legend);
        boolean any = false;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (java.util.Map.Entry<String, double[]> e : spectra.entrySet()) {
            double[] sorted = e.getValue().clone();
            Arrays.sort(sorted);
            List<Double> positive = new ArrayList<>();
            for (int i = sorted.length - 1; i >= 0; i--) {
                if (sorted[i] > 0 && Double.isFinite(sorted[i])) {
                    positive.add(sorted[i]);
                }
            }
            if (positive.isEmpty()) {
                continue;
            }
            double[] x = new double[positive.size()];
            double[] y = new double[positive.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = i + 1;
                y[i] = positive.get(i);
                lo = Math.min(lo, y[i]);
                hi = Math.max(hi, y[i]);
            }
            XYSeries s = chart.addSeries(e.getKey(), x, y);
            s.setMarker(x.length <= 200 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            s.setLineStyle(new BasicStroke(2f));
            any = true;
        }
        if (any) {
            decades(chart, lo, hi);
            save(chart, file);
        }
        return any;
    }

    private static XYChart chart(String title, String xLabel, String yLabel) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        XYStyler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(220, 220, 220));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setMarkerSize(5);
        s.setAntiAlias(true);
        chart.getStyler().setSeriesColors(new Color[] {new Color(31, 119, 180), new Color(255, 127, 14),
            new Color(44, 160, 44), new Color(214, 39, 40)});
        return chart;
    }

    private static double[][] finite(double[] x, double[] y, boolean positive) {
        int n = 0;
        double[] fx = new double[x.length];
        double[] fy = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!positive || y[i] > 0)) {
                fx[n] = x[i];
                fy[n++] = y[i];
            }
        }
        return new double[][] {Arrays.copyOf(fx, n), Arrays.copyOf(fy, n)};
    }

    /** Draws the PNG in memory first, so that the temporary file beside the target lives only while it is copied. */
    private static void save(XYChart chart, Path file) throws IOException {
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(file, out -> out.write(png));
    }
}
