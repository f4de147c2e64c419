package org.ntk4j.io;

import java.io.IOException;

/**
 * Input that cannot be read as the format it claims to be: the message names the source (file), the place
 * (line, record, byte offset) where one applies, and the problem.
 */
public class MalformedDataException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the whole message, starting with the source's name; line breaks in it (quoted from the
     *     input) are written as {@code \n}, so that the message stays one line
     */
    public MalformedDataException(String message) {
        super(oneLine(message));
    }

    /**
     * @param message the whole message, starting with the source's name (line breaks written as {@code \n})
     * @param cause the underlying error
     */
    public MalformedDataException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    private static String oneLine(String message) {
        return message == null ? null : message.replaceAll("\\R", "\\\\n");
    }
}
