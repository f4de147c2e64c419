package org.ntk4j.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ntk4j.io.AtomicFiles;

/**
 * The run folder's {@code metrics.csv}: a header, then one complete line per iteration, flushed as it is
 * written so that the file is readable while training runs and never ends in a partial line. Rows are also
 * kept in memory for the plots.
 */
final class MetricsCsv implements AutoCloseable {

    private final List<String> columns;
    private final BufferedWriter out;
    private final List<double[]> rows = new ArrayList<>();

    /**
     * @param file the CSV file, created or truncated
     * @param columns the column names, in order
     * @throws IOException if the file cannot be created
     */
    MetricsCsv(Path file, List<String> columns) throws IOException {
        this(file, columns, -1);
    }

    /**
     * Opens the log of a run that continues after iteration {@code keepThrough}: its rows up to that iteration are
     * kept (and read back for the plots), later ones (written after the checkpoint by a run that was then
     * stopped) and a partial last line are dropped, and new rows are appended.
     *
     * @param file the CSV file; created if missing
     * @param columns the column names, in order; the file's header must be the same
     * @param keepThrough the last iteration to keep, or −1 to start a new log
     * @throws IOException if the file cannot be read or written, or has other columns
     */
    MetricsCsv(Path file, List<String> columns, long keepThrough) throws IOException {
        this.columns = List.copyOf(columns);
        Files.createDirectories(file.toAbsolutePath().getParent());
        String header = String.join(",", columns);
        StringBuilder kept = new StringBuilder(header).append(System.lineSeparator());
        if (keepThrough >= 0 && Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            List<String> lines = text.lines().toList();
            if (!lines.isEmpty() && !lines.get(0).equals(header)) {
                throw new IOException(file + ": other columns than this version writes; continue in a new"
                        + " --run-dir");
            }
            int complete = text.endsWith("\n") ? lines.size() : lines.size() - 1;
            for (int i = 1; i < complete; i++) {
                double[] row = parse(lines.get(i));
                if (row.length == columns.size() && row[0] <= keepThrough) {
                    rows.add(row);
                    kept.append(lines.get(i)).append(System.lineSeparator());
                }
            }
        }
        AtomicFiles.writeString(file, kept.toString());
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
    }

    private static double[] parse(String line) {
        String[] cells = line.split(",", -1);
        double[] row = new double[cells.length];
        try {
            for (int i = 0; i < cells.length; i++) {
                row[i] = cells[i].isEmpty() ? Double.NaN : Double.parseDouble(cells[i]);
            }
        } catch (NumberFormatException e) {
            return new double[0];
        }
        return row;
    }

    /**
     * @param values values by column name (not modified); missing or non-finite ones are written empty
     * @throws IOException if writing fails
     */
    void append(Map<String, Double> values) throws IOException {
        double[] row = new double[columns.size()];
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            Double v = values.get(columns.get(i));
            row[i] = v == null ? Double.NaN : v;
            if (i > 0) {
                line.append(',');
            }
            if (Double.isFinite(row[i])) {
                line.append(format(row[i]));
            }
        }
        out.write(line.toString());
        out.newLine();
        out.flush();
        rows.add(row);
    }

    private static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.9g", v);
    }

    /**
     * @param column a column name
     * @return its values, one per row written (NaN where missing)
     */
    double[] column(String column) {
        int c = columns.indexOf(column);
        if (c < 0) {
            throw new IllegalArgumentException("no column " + column);
        }
        double[] v = new double[rows.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rows.get(i)[c];
        }
        return v;
    }

    /** @return the number of rows written */
    int size() {
        return rows.size();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
