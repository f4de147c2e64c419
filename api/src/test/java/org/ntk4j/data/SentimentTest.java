package org.ntk4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.ntk4j.io.MalformedDataException;
import org.ntk4j.io.Npy;
import org.ntk4j.io.NpyArray;

class SentimentTest {

    @Test
    @DisplayName("the bundled files hold 1,000 sentences each, 500 per class, the null-class record dropped")
    void bundled() {
        for (String s : Sentiment.SOURCES) {
            List<Sentence> all = Sentiment.sentences(s);
            assertEquals(1000, all.size(), s);
            assertEquals(500, all.stream().filter(x -> x.label() == 1).count(), s);
        }
        assertEquals(new Sentence("Wow... Loved this place.", 1), Sentiment.sentences("yelp").get(0));
        Dataset d = Sentiment.load("amazon", new HashedNgrams(64, 2));
        assertEquals(1000, d.size());
        assertEquals(64, d.dims());
        assertEquals(2, d.classes());
        assertThrows(IllegalArgumentException.class, () -> Sentiment.sentences("twitter"));
    }

    @Test
    @DisplayName("hashed n-gram features equal an independent Python implementation's")
    void hashedMatchesReference() throws IOException {
        NpyArray ref = Npy.read(IdxLoaderTest.fixture("hashed_ngrams.npy"));
        String[] sentences = {"Wow... Loved this place.", "Crust is NOT good, didn't like it!", "", "Ünïcode café ok 42"};
        HashedNgrams h = new HashedNgrams(16, 2);
        double[] row = new double[16];
        double[] expected = ref.toDoubles();
        for (int i = 0; i < sentences.length; i++) {
            h.featurize(sentences[i], row);
            double[] want = java.util.Arrays.copyOfRange(expected, i * 16, i * 16 + 16);
            assertArrayEquals(want, row, 1e-12, sentences[i]);
        }
        assertEquals(List.of("crust", "is", "not", "good", "didn't", "like", "it"),
                HashedNgrams.words("Crust is NOT good, didn't like it!"));
    }

    @Test
    @DisplayName("names the record and the problem for bad sentence files")
    void errors() {
        assertError("[{\"text\":\"a\",\"class\":1},{\"text\":\"b\",\"class\":null},{\"text\":\"c\",\"class\":0}]",
                "s.json: record 2: \"class\" is null or missing");
        assertError("[{\"text\":\"a\",\"class\":2}]", "s.json: record 1: class 2 out of range 0..1");
        assertError("[{\"text\":3,\"class\":1}]", "record 1: \"text\" is missing or not a string");
        assertError("[{\"text\":\"a\",\"class\":1}", "s.json:1:24: unexpected end-of-input: expected close marker for Array (start marker at line 1, column 1)");
        assertError("{\"text\":\"a\"}", "expected a JSON array");
        assertError("[{\"text\":\"a\",\"class\":null}]", "s.json: no labelled records");
    }

    private static void assertError(String json, String expected) {
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> SentenceLoader.parse(json, "s.json", 2));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
