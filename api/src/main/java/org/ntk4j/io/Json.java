package org.ntk4j.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.Instantiatable;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict JSON (RFC 8259) reading and writing through jackson-jr. Values map to Java as: object →
 * {@code Map<String, Object>} (insertion-ordered, unmodifiable), array → {@code List<Object>} (unmodifiable),
 * string → {@code String}, number → {@code Long} for integers that fit, else {@code Double},
 * {@code true}/{@code false} → {@code Boolean}, {@code null} → {@code null}. Every parse error — bad syntax,
 * a duplicate key, bytes that are not UTF-8, nesting deeper than {@value #MAX_DEPTH} levels — is a
 * {@link MalformedDataException} naming the source, line and column.
 */
public final class Json {

    /** The deepest nesting of arrays and objects that is read. */
    public static final int MAX_DEPTH = 200;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final JSON READER = JSON.builder(FACTORY).build().with(JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS);
    private static final JSON WRITER = JSON.builder(FACTORY).build().with(new Indented())
            .with(JSON.Feature.WRITE_NULL_PROPERTIES);

    private Json() {
    }

    /**
     * @param text the JSON text (a leading byte-order mark is skipped)
     * @param source the name used in error messages (a file name)
     * @return the value
     * @throws MalformedDataException naming the source, line and column of the first error
     */
    public static Object parse(String text, String source) throws MalformedDataException {
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        try (JsonParser p = FACTORY.createParser(t)) {
            return parse(p, source);
        } catch (MalformedDataException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String does not fail otherwise
        }
    }

    /**
     * @param file a JSON file, UTF-8 (UTF-16 and UTF-32 with a byte-order mark are read too)
     * @return the value
     * @throws MalformedDataException naming the file, line and column of the first error (bytes that are not
     *     UTF-8 included)
     * @throws IOException if the file cannot be read
     */
    public static Object parse(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try (JsonParser p = FACTORY.createParser(bytes)) {
            return parse(p, file.toString());
        }
    }

    private static Object parse(JsonParser p, String source) throws IOException {
        try {
            if (p.nextToken() == null) {
                throw new MalformedDataException(source + ":1:1: no JSON value (the input is empty)");
            }
            Object v = READER.anyFrom(p);
            if (p.nextToken() != null) {
                throw error(source, p.currentTokenLocation(), "unexpected text after the value");
            }
            return normalized(v);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation() != null ? e.getLocation() : p.currentLocation();
            throw error(source, at, e.getOriginalMessage());
        } catch (CharConversionException e) {
            throw error(source, p.currentLocation(), "not valid text: " + e.getMessage());
        }
    }

    private static MalformedDataException error(String source, JsonLocation at, String problem) {
        String message = problem == null ? "malformed JSON" : problem.replaceAll("\\s*\\R\\s*", " ")
                .replaceAll("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]", "line $1, column $2");
        if (!message.isEmpty()) {
            message = Character.toLowerCase(message.charAt(0)) + message.substring(1);
        }
        return new MalformedDataException(source + ":" + Math.max(at.getLineNr(), 1) + ":"
                + Math.max(at.getColumnNr(), 1) + ": " + message);
    }

    /** Unmodifiable maps and lists, {@code Long} for integers, {@code Double} for the rest. */
    private static Object normalized(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, normalized(x)));
            return Collections.unmodifiableMap(out);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(normalized(x)));
            return Collections.unmodifiableList(out);
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger || v instanceof BigDecimal || v instanceof Float) {
            return ((Number) v).doubleValue();
        }
        return v;
    }

    /**
     * Writes a value as indented JSON: objects one entry a line, indented by two spaces, arrays on one line.
     * Supported values: {@code Map} (keys through {@code String.valueOf}), {@code Iterable}, {@code String},
     * {@code Number} (non-finite doubles become {@code null}), {@code Boolean}, {@code null}, and anything else
     * through its {@code toString()} as a string.
     *
     * @param value the value (not modified)
     * @return the JSON text, ending in a newline
     */
    public static String write(Object value) {
        try {
            return WRITER.asString(writable(value)) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing plain maps, lists and scalars to a String does not fail
        }
    }

    private static Object writable(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Integer
                || v instanceof Short || v instanceof Byte || v instanceof BigInteger || v instanceof BigDecimal) {
            return v;
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? d : null;
        }
        if (v instanceof Number n) {
            return n.toString().matches("-?\\d+") ? (Object) n.longValue() : (Object) n.doubleValue();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), writable(x)));
            return out;
        }
        if (v instanceof Iterable<?> it) {
            List<Object> out = new ArrayList<>();
            it.forEach(x -> out.add(writable(x)));
            return out;
        }
        return v.toString();
    }

    /** Objects one entry a line, indented two spaces a level; arrays on one line, ", " between values. */
    private static final class Indented implements PrettyPrinter, Instantiatable<Indented> {
        private int depth;

        @Override
        public Indented createInstance() {
            return new Indented();
        }

        private void newLine(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
            for (int i = 0; i < depth; i++) {
                g.writeRaw("  ");
            }
        }

        @Override
        public void writeRootValueSeparator(JsonGenerator g) {
        }

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            g.writeRaw('{');
            depth++;
        }

        @Override
        public void beforeObjectEntries(JsonGenerator g) throws IOException {
            newLine(g);
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            newLine(g);
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            depth--;
            if (entries > 0) {
                newLine(g);
            }
            g.writeRaw('}');
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            g.writeRaw('[');
            depth++;
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) {
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            depth--;
            g.writeRaw(']');
        }
    }
}
