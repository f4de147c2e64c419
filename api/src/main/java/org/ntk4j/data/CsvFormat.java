package org.ntk4j.data;

/**
 * How to read a CSV file as a labelled data set. Immutable; the {@code with…} methods return copies.
 *
 * @param delimiter the cell separator
 * @param header whether the first line is a header: {@code null} detects it (a first line with a cell that is
 *     not a number is a header)
 * @param labelColumn the label's column, 0-based; negative counts from the end (−1, the default, is the last)
 * @param classes the number of classes, or 0 to take the largest label + 1
 */
public record CsvFormat(char delimiter, Boolean header, int labelColumn, int classes) {

    /** Comma-separated, header detected, label in the last column, classes from the data. */
    public static final CsvFormat DEFAULT = new CsvFormat(',', null, -1, 0);

    /**
     * @param d the cell separator
     * @return a copy with that separator
     */
    public CsvFormat withDelimiter(char d) {
        return new CsvFormat(d, header, labelColumn, classes);
    }

    /**
     * @param h true or false to force, {@code null} to detect
     * @return a copy with that header setting
     */
    public CsvFormat withHeader(Boolean h) {
        return new CsvFormat(delimiter, h, labelColumn, classes);
    }

    /**
     * @param column 0-based, negative from the end
     * @return a copy with that label column
     */
    public CsvFormat withLabelColumn(int column) {
        return new CsvFormat(delimiter, header, column, classes);
    }

    /**
     * @param n the number of classes (labels must lie in 0..n−1), or 0 to take the largest label + 1
     * @return a copy with that class count
     */
    public CsvFormat withClasses(int n) {
        return new CsvFormat(delimiter, header, labelColumn, n);
    }
}
