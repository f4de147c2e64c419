package org.ntk4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The bundled UCI Sentiment Labelled Sentences (Kotzias et al., KDD 2015): 1,000 review sentences from each
 * of {@code amazon}, {@code imdb} and {@code yelp}, half positive (1), half negative (0). See
 * {@code sentiment/README.md} beside the data for provenance and checksums.
 */
public final class Sentiment {

    /** The names of the bundled sources. */
    public static final List<String> SOURCES = List.of("amazon", "imdb", "yelp");

    private Sentiment() {
    }

    /**
     * @param source one of {@link #SOURCES}
     * @return its 1,000 labelled sentences
     * @throws IllegalArgumentException for an unknown source, listing the known ones
     */
    public static List<Sentence> sentences(String source) {
        if (!SOURCES.contains(source)) {
            throw new IllegalArgumentException("unknown sentiment source '" + source + "'; known: "
                    + String.join(", ", SOURCES));
        }
        String resource = "sentiment/" + source + ".json";
        try (InputStream in = Sentiment.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the bundled resource org/ntk4j/data/" + resource + " is missing");
            }
            return SentenceLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource, 2);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the bundled " + resource, e);
        }
    }

    /**
     * @param source one of {@link #SOURCES}
     * @param features how to turn the sentences into vectors
     * @return the data set named {@code sentiment-<source>}, 2 classes
     */
    public static Dataset load(String source, HashedNgrams features) {
        return features.dataset(sentences(source), "sentiment-" + source, 2);
    }
}
