package org.ntk4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written through a temporary file and a move. */
class AtomicFilesTest {

    @Test
    @DisplayName("a written file gets the permissions any new file gets (not owner-only, as a temp file would)")
    void permissionsOfANewFile(@TempDir Path dir) throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
        Path plain = Files.createFile(dir.resolve("plain.txt"));
        Path written = dir.resolve("written.txt");
        AtomicFiles.writeString(written, "hello");
        assertEquals("hello", Files.readString(written));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(written));
    }

    @Test
    @DisplayName("a failing writer leaves the old file unchanged and no temporary file behind")
    void failureKeepsTheOldFile(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("data.txt");
        AtomicFiles.writeString(target, "old");
        assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(1);
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(target));
        try (var entries = Files.list(dir)) {
            assertEquals(List.of(target), entries.toList());
        }
    }
}
