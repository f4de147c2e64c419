package org.ntk4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ntk4j.io.Json;
import org.ntk4j.io.MalformedDataException;

/**
 * Reads labelled sentences from JSON: an array of records {@code {"text": "…", "class": 0 or 1}}, the format
 * of the UCI Sentiment Labelled Sentences as shipped in the npm package {@code sentiment}. A last record whose
 * class is {@code null} (those files end with one) is dropped; anywhere else a missing or bad class is an
 * error naming the record.
 */
public final class SentenceLoader {

    private SentenceLoader() {
    }

    /**
     * @param file the JSON file
     * @param classes labels must lie in 0..classes−1
     * @return the sentences in file order
     * @throws MalformedDataException naming the file, the record (1-based) and the problem
     * @throws IOException if the file cannot be read
     */
    public static List<Sentence> load(Path file, int classes) throws IOException {
        return sentences(Json.parse(file), file.toString(), classes);
    }

    /**
     * @param json the JSON text
     * @param source the name used in error messages
     * @param classes labels must lie in 0..classes−1
     * @return the sentences in order
     * @throws MalformedDataException naming the source, the record (1-based) and the problem
     */
    public static List<Sentence> parse(String json, String source, int classes) throws MalformedDataException {
        return sentences(Json.parse(json, source), source, classes);
    }

    private static List<Sentence> sentences(Object root, String source, int classes) throws MalformedDataException {
        if (!(root instanceof List<?> records)) {
            throw new MalformedDataException(source + ": expected a JSON array of {\"text\", \"class\"} records");
        }
        List<Sentence> out = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            String where = source + ": record " + (i + 1) + ": ";
            if (!(records.get(i) instanceof Map<?, ?> r)) {
                throw new MalformedDataException(where + "not an object");
            }
            if (!(r.get("text") instanceof String text)) {
                throw new MalformedDataException(where + "\"text\" is missing or not a string");
            }
            Object c = r.get("class");
            if (c == null && i == records.size() - 1) {
                break; // the trailing unlabelled record of the sentiment files
            }
            if (!(c instanceof Long label)) {
                throw new MalformedDataException(where + "\"class\" is " + (c == null ? "null or missing" : c)
                        + ", expected a whole number");
            }
            if (label < 0 || label >= classes) {
                throw new MalformedDataException(where + "class " + label + " out of range 0.." + (classes - 1));
            }
            out.add(new Sentence(text, label.intValue()));
        }
        if (out.isEmpty()) {
            throw new MalformedDataException(source + ": no labelled records");
        }
        return out;
    }
}
