package org.ntk4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntk4j.io.MalformedDataException;

class CsvLoaderTest {

    @TempDir
    Path tmp;

    private static Dataset parse(String csv, CsvFormat f) throws IOException {
        return CsvLoader.load(new StringReader(csv), "t", "t.csv", f);
    }

    @Test
    @DisplayName("detects a header, takes the last column as label and keeps the rest as features")
    void headerDetected() throws IOException {
        Dataset d = parse("a,b,label\n1,2,0\n\n3.5,-4e-1,2\n", CsvFormat.DEFAULT);
        assertEquals(2, d.size());
        assertEquals(2, d.dims());
        assertEquals(3, d.classes());
        assertArrayEquals(new double[] {1, 2, 3.5, -0.4}, d.features(), 0);
        assertArrayEquals(new int[] {0, 2}, d.labels());
    }

    @Test
    @DisplayName("reads a file without a header, label in the first column, other delimiters and quotes")
    void noHeaderFirstColumn() throws IOException {
        Dataset d = parse("1;\"0.5\";7\n0; 2 ;8\n", CsvFormat.DEFAULT.withDelimiter(';').withLabelColumn(0));
        assertArrayEquals(new double[] {0.5, 7, 2, 8}, d.features(), 0);
        assertArrayEquals(new int[] {1, 0}, d.labels());
        assertEquals(2, d.classes());
        Dataset forced = parse("9,9,1\n1,2,0\n", CsvFormat.DEFAULT.withHeader(true).withClasses(4));
        assertEquals(1, forced.size());
        assertEquals(4, forced.classes());
    }

    @Test
    @DisplayName("reads gzip files by their magic bytes")
    void gzip() throws IOException {
        Path f = tmp.resolve("data.csv");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write("x,y\n1,1\n2,0\n".getBytes(StandardCharsets.UTF_8));
        }
        Dataset d = CsvLoader.load(f, CsvFormat.DEFAULT);
        assertEquals("data.csv", d.name());
        assertArrayEquals(new double[] {1, 2}, d.features(), 0);
    }

    @Test
    @DisplayName("names the file, line and problem for bad rows")
    void errors() {
        assertError("a,b,c\n1,2,0\n1,2\n", CsvFormat.DEFAULT, "t.csv:3: ragged row: 2 cells, expected 3");
        assertError("1,2,0\n1,x,1\n", CsvFormat.DEFAULT, "t.csv:2, column 2: 'x' is not a number");
        assertError("f,g,l\n1,NaN,1\n", CsvFormat.DEFAULT, "t.csv:2, column 2 (g): value is NaN");
        assertError("1,2,0\n1,2,-1\n", CsvFormat.DEFAULT, "t.csv:2, column 3: label -1 out of range");
        assertError("1,2,0\n1,2,5\n", CsvFormat.DEFAULT.withClasses(3), "label 5 out of range 0..2");
        assertError("1,2,0.5\n", CsvFormat.DEFAULT, "label 0.5 is not a whole number");
        assertError("1,2,0\n", CsvFormat.DEFAULT.withLabelColumn(7), "label column 7 is outside the 3 columns");
        assertError("a,b\n", CsvFormat.DEFAULT, "t.csv: no data rows");
    }

    private static void assertError(String csv, CsvFormat f, String expected) {
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> parse(csv, f));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    @DisplayName("split standardization uses the training statistics on both sides")
    void standardizedSplit() throws IOException {
        Dataset train = parse("1,0\n3,1\n", CsvFormat.DEFAULT);
        Dataset test = parse("5,0\n", CsvFormat.DEFAULT);
        Split s = new Split(train, test).standardized();
        assertArrayEquals(new double[] {-1, 1}, s.train().features(), 1e-12);
        assertArrayEquals(new double[] {3}, s.test().features(), 1e-12);
    }
}
