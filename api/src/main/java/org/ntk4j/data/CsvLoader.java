package org.ntk4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ntk4j.io.MalformedDataException;

/**
 * Reads a labelled data set from a CSV file (optionally gzip-compressed, detected by its magic bytes): one
 * sample per line, numeric feature cells and an integer class label in a chosen column. Blank lines are
 * skipped; cells may be quoted. Errors name the file, the line and the problem: a ragged row, a cell that is
 * not a number, a NaN or infinite value, a label that is not a whole number or is out of range.
 */
public final class CsvLoader {

    private CsvLoader() {
    }

    /**
     * @param file the CSV file (plain or gzip)
     * @param format how to read it
     * @return the data set, named after the file
     * @throws MalformedDataException naming the file, the line and the problem
     * @throws IOException if the file cannot be read
     */
    public static Dataset load(Path file, CsvFormat format) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = Gzip.maybeDecompress(raw, file.toString());
            return load(new InputStreamReader(in, StandardCharsets.UTF_8), file.getFileName().toString(),
                    file.toString(), format);
        }
    }

    /**
     * @param reader the CSV text (read to the end, not closed)
     * @param name the data set's name
     * @param source the name used in error messages
     * @param format how to read it
     * @return the data set
     * @throws MalformedDataException naming the source, the line and the problem
     * @throws IOException if the reader fails
     */
    public static Dataset load(Reader reader, String name, String source, CsvFormat format) throws IOException {
        BufferedReader in = new BufferedReader(reader);
        List<double[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int width = -1;
        int labelAt = -1;
        int lineNo = 0;
        boolean first = true;
        String[] headerCells = null;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] cells = split(line, format.delimiter());
            if (first) {
                first = false;
                boolean isHeader = format.header() != null ? format.header() : !allNumbers(cells);
                width = cells.length;
                if (width < 2) {
                    throw new MalformedDataException(source + ":" + lineNo + ": a row needs at least a feature and a"
                            + " label, found " + width + " cell (is the delimiter '" + format.delimiter() + "'?)");
                }
                labelAt = format.labelColumn() < 0 ? width + format.labelColumn() : format.labelColumn();
                if (labelAt < 0 || labelAt >= width) {
                    throw new MalformedDataException(source + ":" + lineNo + ": label column " + format.labelColumn()
                            + " is outside the " + width + " columns");
                }
                if (isHeader) {
                    headerCells = cells;
                    continue;
                }
            }
            if (cells.length != width) {
                throw new MalformedDataException(source + ":" + lineNo + ": ragged row: " + cells.length
                        + " cells, expected " + width + (headerCells != null ? " (as in the header)" : " (as in the first row)"));
            }
            double[] x = new double[width - 1];
            for (int j = 0, k = 0; j < width; j++) {
                if (j == labelAt) {
                    labels.add(label(cells[j], source, lineNo, j, format.classes()));
                } else {
                    x[k++] = number(cells[j], source, lineNo, j, headerCells);
                }
            }
            rows.add(x);
        }
        if (rows.isEmpty()) {
            throw new MalformedDataException(source + ": no data rows");
        }
        int d = width - 1;
        double[] features = new double[rows.size() * d];
        int[] y = new int[rows.size()];
        int maxLabel = 0;
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, features, i * d, d);
            y[i] = labels.get(i);
            maxLabel = Math.max(maxLabel, y[i]);
        }
        int classes = format.classes() > 0 ? format.classes() : maxLabel + 1;
        return new Dataset(name, features, rows.size(), d, y, classes);
    }

    private static double number(String cell, String source, int line, int col, String[] header) throws MalformedDataException {
        String where = source + ":" + line + ", column " + (col + 1)
                + (header != null ? " (" + header[col] + ")" : "") + ": ";
        double v;
        try {
            v = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw new MalformedDataException(where + "'" + cell + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw new MalformedDataException(where + "value is " + cell + " (only finite numbers are allowed)");
        }
        return v;
    }

    private static int label(String cell, String source, int line, int col, int classes) throws MalformedDataException {
        String where = source + ":" + line + ", column " + (col + 1) + ": ";
        double v;
        try {
            v = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw new MalformedDataException(where + "label '" + cell + "' is not a number");
        }
        if (v != Math.rint(v) || Math.abs(v) > 1e9) {
            throw new MalformedDataException(where + "label " + cell + " is not a whole number");
        }
        int label = (int) v;
        if (label >= Dataset.MAX_CLASSES && (classes <= 0 || classes > Dataset.MAX_CLASSES)) {
            throw new MalformedDataException(where + "label " + label + " is too large (labels are 0.."
                    + (Dataset.MAX_CLASSES - 1) + ", one per class)");
        }
        if (label < 0 || (classes > 0 && label >= classes)) {
            throw new MalformedDataException(where + "label " + label + " out of range "
                    + (classes > 0 ? "0.." + (classes - 1) : "(labels are 0, 1, 2, ...)"));
        }
        return label;
    }

    private static boolean allNumbers(String[] cells) {
        for (String c : cells) {
            try {
                Double.parseDouble(c);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    /** Splits a line at the delimiter, honouring double quotes ("" inside quotes is a quote), trimming cells. */
    static String[] split(String line, char delimiter) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == delimiter) {
                cells.add(cell.toString().trim());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString().trim());
        return cells.toArray(new String[0]);
    }
}
