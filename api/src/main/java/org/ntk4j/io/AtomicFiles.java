package org.ntk4j.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files all at once or not at all: the content goes to a temporary file in the target's folder, which
 * is then moved over the target (atomically where the file system allows). If writing fails, the temporary
 * file is deleted and an existing target is left as it was.
 */
public final class AtomicFiles {

    /** Writes content to a stream; the stream is closed by the caller. */
    @FunctionalInterface
    public interface Writer {
        /**
         * @param out where to write (modified: bytes are appended)
         * @throws IOException if writing fails
         */
        void write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes a file through a temporary file and a move.
     *
     * @param target the file to create or replace; its folder is created if missing
     * @param content writes the bytes
     * @throws IOException if writing or moving fails (the target is then unchanged)
     */
    public static void write(Path target, Writer content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        Path tmp = newTemporary(dir, absolute.getFileName().toString());
        boolean done = false;
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                content.write(out);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Creates an empty, uniquely named file next to the target. Unlike {@link Files#createTempFile}, which makes
     * it readable by its owner only, it gets the permissions of any new file (the umask's), as the target would.
     */
    private static Path newTemporary(Path dir, String name) throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + Long.toUnsignedString(random.nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    /**
     * Writes a UTF-8 text file through a temporary file and a move.
     *
     * @param target the file to create or replace
     * @param text the content
     * @throws IOException if writing or moving fails (the target is then unchanged)
     */
    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
