package org.ntk4j.backend.nd4j;

import java.util.ArrayDeque;
import java.util.Iterator;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Keeps freed buffers for reuse. A fresh off-heap buffer is mapped page by page as it is first written, and on
 * virtual machines those page faults cost more than the arithmetic of an n×n kernel or solve (a 50 MB buffer: about
 * half a second on the machine the proximal step was profiled on, against 20 ms to zero a reused one; a 10 MB block
 * of a streamed test kernel: 40 ms, against 1 ms). Buffers of at least {@value #MIN_BYTES} bytes are kept, at most
 * {@value #MAX_BYTES} bytes in all, the most recent first. Smaller buffers are kept too, at most {@value #MAX_SMALL}
 * of them: making a small ND4J array costs tens of microseconds (more than a training step's arithmetic on a
 * minibatch's activations), and a training step makes the same shapes every iteration. {@link #drain()} frees them
 * all. Thread-safe.
 */
final class Nd4jBufferPool {

    /** The smallest buffer kept among the large ones; smaller buffers are kept by count. */
    static final long MIN_BYTES = 1L << 20;
    /** The most the pool holds. */
    static final long MAX_BYTES = 1536L << 20;
    /** The most small buffers kept. */
    static final int MAX_SMALL = 256;

    private static final ArrayDeque<DataBuffer> FREE = new ArrayDeque<>();
    private static final ArrayDeque<DataBuffer> SMALL_FREE = new ArrayDeque<>();
    private static long held;
    private static long smallHeld;

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
        long b = length * type.width();
        boolean small = b < MIN_BYTES;
        if (b > MAX_BYTES) {
            return null;
        }
        for (Iterator<DataBuffer> it = (small ? SMALL_FREE : FREE).iterator(); it.hasNext(); ) {
            DataBuffer d = it.next();
            if (d.dataType() == type && d.length() == length) {
                it.remove();
                if (small) {
                    smallHeld -= b;
                } else {
                    held -= b;
                }
                return d;
            }
        }
        return null;
    }

    /**
     * @param bytes a buffer's size
     * @return whether {@link #give} would keep a buffer of that size
     */
    static boolean keeps(long bytes) {
        return bytes <= MAX_BYTES;
    }

    /**
     * Keeps a buffer that is no longer used, or frees it when it is larger than the pool (a full pool frees its
     * oldest buffers to make room).
     *
     * @param d the buffer (taken over)
     */
    static void give(DataBuffer d) {
        long b = bytes(d);
        if (!keeps(b)) {
            release(d);
            return;
        }
        if (b < MIN_BYTES) {
            DataBuffer old = null;
            synchronized (Nd4jBufferPool.class) {
                SMALL_FREE.addFirst(d);
                smallHeld += b;
                if (SMALL_FREE.size() > MAX_SMALL) {
                    old = SMALL_FREE.removeLast();
                    smallHeld -= bytes(old);
                }
            }
            if (old != null) {
                release(old);
            }
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

    /** @return the bytes of every buffer kept now, large and small */
    static synchronized long heldBytes() {
        return held + smallHeld;
    }

    /** Frees every kept buffer. */
    static synchronized void drain() {
        for (DataBuffer d : FREE) {
            release(d);
        }
        FREE.clear();
        held = 0;
        for (DataBuffer d : SMALL_FREE) {
            release(d);
        }
        SMALL_FREE.clear();
        smallHeld = 0;
    }
}
