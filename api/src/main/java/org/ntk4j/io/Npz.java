package org.ntk4j.io;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes NumPy {@code .npz} archives: a zip file of {@code name.npy} entries, stored
 * ({@code numpy.savez}) or deflated ({@code numpy.savez_compressed}).
 */
public final class Npz {

    private static final String SUFFIX = ".npy";

    private Npz() {
    }

    /**
     * @param file a {@code .npz} file
     * @return its arrays by name (without the {@code .npy} suffix), in archive order, unmodifiable
     * @throws MalformedDataException naming the file (and entry) if it is not a zip archive of {@code .npy}
     *     entries or an entry is malformed
     * @throws IOException if the file cannot be read
     */
    public static Map<String, NpyArray> read(Path file) throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException | EOFException e) {
            throw new MalformedDataException(file + ": not a .npz (zip) archive: "
                    + (e.getMessage() != null ? e.getMessage() : "the file ends early"), e);
        }
        try (zip) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                String name = e.getName();
                if (!name.endsWith(SUFFIX)) {
                    throw new MalformedDataException(file + ": entry '" + name + "' is not a .npy array");
                }
                try (InputStream in = zip.getInputStream(e)) {
                    arrays.put(name.substring(0, name.length() - SUFFIX.length()), Npy.read(in, file + "!" + name, e.getSize(), false));
                } catch (ZipException | EOFException ze) {
                    throw new MalformedDataException(file + "!" + name + ": corrupt entry: " + ze.getMessage(), ze);
                }
            }
        }
        return Collections.unmodifiableMap(arrays);
    }

    /**
     * Writes arrays to an archive through a temporary file in the same folder and a move.
     *
     * @param file the file to create or replace
     * @param arrays the arrays by name, written in iteration order (not modified); a name is one or more
     *     non-empty parts joined by '/' (as {@code 0/W}, which NumPy reads back under the same key), none of
     *     them {@code .} or {@code ..}, and no backslash
     * @param compressed deflate the entries ({@code savez_compressed}) or store them ({@code savez})
     * @throws IllegalArgumentException if a name is not of that form
     * @throws IOException if writing fails (an existing file is then unchanged)
     */
    public static void write(Path file, Map<String, NpyArray> arrays, boolean compressed) throws IOException {
        for (String name : arrays.keySet()) {
            if (name.isEmpty() || name.contains("\\") || name.startsWith("/") || name.endsWith("/")
                    || name.contains("//") || ("/" + name + "/").contains("/./") || ("/" + name + "/").contains("/../")) {
                throw new IllegalArgumentException("bad array name '" + name + "' for " + file);
            }
        }
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, NpyArray> a : arrays.entrySet()) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                Npy.write(bytes, a.getValue());
                byte[] data = bytes.toByteArray();
                ZipEntry entry = new ZipEntry(a.getKey() + SUFFIX);
                if (compressed) {
                    entry.setMethod(ZipEntry.DEFLATED);
                } else {
                    CRC32 crc = new CRC32();
                    crc.update(data);
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(data.length);
                    entry.setCompressedSize(data.length);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(data);
                zip.closeEntry();
            }
            zip.finish();
        });
    }
}
