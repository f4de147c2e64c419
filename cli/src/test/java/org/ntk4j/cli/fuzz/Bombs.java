package org.ntk4j.cli.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * Decompression bombs, written directly as deflate streams of fixed-Huffman matches (258 zero bytes per 13
 * bits), so that a gigabyte of content takes milliseconds to write rather than the seconds that compressing it
 * would: a gzip file and a single-entry zip archive whose content is a header followed by zeros.
 */
final class Bombs {

    private Bombs() {
    }

    /**
     * @param file the gzip file to write
     * @param prefix the bytes before the zeros (not modified)
     * @param zeros how many zero bytes follow
     * @throws IOException if writing fails
     */
    static void gzip(Path file, byte[] prefix, long zeros) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
            out.write(deflate(prefix, zeros));
            ByteBuffer trailer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            trailer.putInt((int) crc(prefix, zeros)).putInt((int) (prefix.length + zeros));
            out.write(trailer.array());
        }
    }

    /**
     * @param file the zip archive to write, with one deflated entry
     * @param entry the entry's name
     * @param prefix the entry's first bytes (not modified)
     * @param zeros how many zero bytes follow, with the prefix below 4 GB
     * @throws IOException if writing fails
     */
    static void zip(Path file, String entry, byte[] prefix, long zeros) throws IOException {
        byte[] data = deflate(prefix, zeros);
        byte[] name = entry.getBytes(StandardCharsets.UTF_8);
        int crc = (int) crc(prefix, zeros);
        int size = (int) (prefix.length + zeros);
        ByteBuffer local = ByteBuffer.allocate(30 + name.length).order(ByteOrder.LITTLE_ENDIAN);
        local.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) 8).putInt(0)
                .putInt(crc).putInt(data.length).putInt(size).putShort((short) name.length).putShort((short) 0)
                .put(name);
        ByteBuffer central = ByteBuffer.allocate(46 + name.length).order(ByteOrder.LITTLE_ENDIAN);
        central.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0)
                .putShort((short) 8).putInt(0).putInt(crc).putInt(data.length).putInt(size)
                .putShort((short) name.length).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0).putInt(0).putInt(0).put(name);
        ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 1).putShort((short) 1)
                .putInt(central.capacity()).putInt(local.capacity() + data.length).putShort((short) 0);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(local.array());
            out.write(data);
            out.write(central.array());
            out.write(end.array());
        }
    }

    private static long crc(byte[] prefix, long zeros) {
        CRC32 crc = new CRC32();
        crc.update(prefix);
        byte[] z = new byte[1 << 20];
        for (long left = zeros; left > 0; left -= z.length) {
            crc.update(z, 0, (int) Math.min(left, z.length));
        }
        return crc.getValue();
    }

    /** One final fixed-Huffman block: the prefix and a zero as literals, then length-258 copies at distance 1. */
    private static byte[] deflate(byte[] prefix, long zeros) {
        Bits b = new Bits();
        b.raw(1, 1); // BFINAL
        b.raw(1, 2); // BTYPE 01: fixed Huffman
        for (byte v : prefix) {
            b.literal(v & 0xff);
        }
        long left = zeros;
        if (left > 0) {
            b.literal(0);
            left--;
        }
        for (; left >= 258; left -= 258) {
            b.code(0b11000101, 8); // length code 285: 258 bytes
            b.code(0, 5); // distance code 0: distance 1
        }
        for (; left > 0; left--) {
            b.literal(0);
        }
        b.code(0, 7); // end of block (256)
        return b.bytes();
    }

    /** Deflate's bit order: fields from the least significant bit, Huffman codes from their most significant. */
    private static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int acc;
        private int n;

        void raw(int value, int bits) {
            for (int i = 0; i < bits; i++) {
                bit((value >>> i) & 1);
            }
        }

        void code(int code, int bits) {
            for (int i = bits - 1; i >= 0; i--) {
                bit((code >>> i) & 1);
            }
        }

        void literal(int v) {
            if (v < 144) {
                code(0b00110000 + v, 8);
            } else {
                code(0b110010000 + v - 144, 9);
            }
        }

        private void bit(int b) {
            acc |= b << n++;
            if (n == 8) {
                out.write(acc);
                acc = 0;
                n = 0;
            }
        }

        byte[] bytes() {
            if (n > 0) {
                out.write(acc);
                acc = 0;
                n = 0;
            }
            return out.toByteArray();
        }
    }
}
