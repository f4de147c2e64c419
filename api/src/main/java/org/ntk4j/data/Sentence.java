package org.ntk4j.data;

/**
 * A labelled text sample.
 *
 * @param text the text
 * @param label the class, ≥ 0
 */
public record Sentence(String text, int label) {
}
