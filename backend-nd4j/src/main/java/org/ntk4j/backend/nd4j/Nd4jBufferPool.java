package org.ntk4j.backend.nd4j;

import java.util.ArrayDeque;
import java.util.Iterator;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Keeps freed buffers for reuse. A fresh off-heap buffer is mapped page by page as it is first written, and on
 * virtual machines those page faults cost more than the arithmetic of an n×n kernel or solve (a 50 MB buffer: about
 * half a second on the machine the proximal step was profiled on, against 20 ms to zero a reused one; a 10 MB block
 * of a streamed test kernel: 40 ms, against 1 ms). Only buffers of at least {@value #MIN_BYTES} bytes are kept, at most {@value #MAX_BYTES}
 * bytes in all, the most recent first; {@link #drain()} frees them. Thread-safe.
 */
final class Nd4jBufferPool {

    /** The smallest buffer worth keeping. */
    static final long MIN_BYTES = 1L << 20;
    /** The most the pool holds. */
    static final long MAX_BYTES = 512L << 20;

    private static final ArrayDeque<DataBuffer> FREE = new ArrayDeque<>();
    private static long held;

    private Nd4jBufferPool() {
    }

    private static long bytes(DataBuffer d) {
        return d.length() * d.dataType().width();
    }

    /**
     * @param type the element type
     * @param length the number of elements
     * @return a kept buffer of exactly that type and length (its contents are stale), or null
     */
    static synchronized DataBuffer take(DataType type, long length) {
        if (length * type.width() < MIN_BYTES) {
            return null;
        }
        for (Iterator<DataBuffer> it = FREE.iterator(); it.hasNext(); ) {
            DataBuffer d = it.next();
            if (d.dataType() == type && d.length() == length) {
                it.remove();
                held -= bytes(d);
                return d;
            }
        }
        return null;
    }

    /**
     * Keeps a buffer that is no longer used, or frees it when it is small or the pool is full (then the
     * oldest kept buffers are freed to make room).
     *
     * @param d the buffer (taken over)
     */
    static void give(DataBuffer d) {
        long b = bytes(d);
        if (b < MIN_BYTES || b > MAX_BYTES) {
            release(d);
            return;
        }
        synchronized (Nd4jBufferPool.class) {
            while (held + b > MAX_BYTES) {
                DataBuffer old = FREE.removeLast();
                held -= bytes(old);
                release(old);
            }
            FREE.addFirst(d);
            held += b;
        }
    }

    /**
     * Frees a buffer's native memory now. ND4J 1.0.0-M2.1's {@code DataBuffer.destroy()} does nothing (the memory
     * would wait for the garbage collector); {@code close()} releases it.
     *
     * @param d the buffer (freed; unusable afterwards)
     */
    static void release(DataBuffer d) {
        if (!d.wasClosed() && d.closeable()) {
            d.close();
        }
    }

    /** Frees every kept buffer. */
    static synchronized void drain() {
        for (DataBuffer d : FREE) {
            release(d);
        }
        FREE.clear();
        held = 0;
    }
}
