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
        this.columns = List.copyOf(columns);
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        out.write(String.join(",", columns));
        out.newLine();
        out.flush();
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
