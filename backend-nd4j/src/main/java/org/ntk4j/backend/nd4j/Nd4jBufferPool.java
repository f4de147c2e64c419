package org.ntk4j.backend.nd4j;

import java.util.ArrayDeque;
import java.util.Iterator;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keeps freed buffers for reuse. A fresh off-heap buffer is mapped page by page as it is first written, and on
 * virtual machines those page faults cost more than the arithmetic of an n×n kernel or solve (a 50 MB buffer: about
 * half a second on the machine the proximal step was profiled on, against 20 ms to zero a reused one; a 10 MB block
 * of a streamed test kernel: 40 ms, against 1 ms). Buffers of at least {@value #MIN_BYTES} bytes are kept, at most
 * {@value #MAX_BYTES} bytes in all, the most recent first. Smaller buffers are kept too, at most {@value #MAX_SMALL}
 * of them: making a small ND4J array costs tens of microseconds (more than a training step's arithmetic on a
 * minibatch's activations), and a training step makes the same shapes every iteration. The arrays themselves are
 * kept with their buffers: an array of the same shape is handed out as it is, since making even a view of a kept
 * buffer allocates its shape descriptor off the heap and has JavaCPP read the process's memory use (most of an
 * allocation's cost). {@link #drain()} frees them all. Thread-safe.
 */
final class Nd4jBufferPool {

    /** The smallest buffer kept among the large ones; smaller buffers are kept by count. */
    static final long MIN_BYTES = 1L << 20;
    /** The most the pool holds. */
    static final long MAX_BYTES = 1536L << 20;
    /** The most small buffers kept. */
    static final int MAX_SMALL = 256;

    private static final ArrayDeque<INDArray> FREE = new ArrayDeque<>();
    private static final ArrayDeque<INDArray> SMALL_FREE = new ArrayDeque<>();
    private static long held;
    private static long smallHeld;

    private Nd4jBufferPool() {
    }

    private static long bytes(DataBuffer d) {
        return d.length() * d.dataType().width();
    }

    private static long bytes(INDArray a) {
        return bytes(a.data());
    }

    /**
     * @param type the element type
     * @param rows the rows wanted
     * @param cols the columns wanted
     * @return a kept array of that type and length (its contents are stale): one of exactly that shape if one
     *     is kept, else one of another shape whose buffer the caller views in the shape it needs; or null
     */
    static synchronized INDArray take(DataType type, long rows, long cols) {
        long length = rows * cols;
        long b = length * type.width();
        boolean small = b < MIN_BYTES;
        if (b > MAX_BYTES) {
            return null;
        }
        ArrayDeque<INDArray> kept = small ? SMALL_FREE : FREE;
        INDArray found = null;
        for (INDArray a : kept) {
            if (a.dataType() == type && a.length() == length) {
                if (a.rows() == rows && a.columns() == cols) {
                    found = a;
                    break;
                }
                if (found == null) {
                    found = a;
                }
            }
        }
        if (found == null) {
            return null;
        }
        // by identity: INDArray.equals compares values
        for (Iterator<INDArray> it = kept.iterator(); it.hasNext(); ) {
            if (it.next() == found) {
                it.remove();
                break;
            }
        }
        if (small) {
            smallHeld -= b;
        } else {
            held -= b;
        }
        return found;
    }

    /**
     * @param bytes a buffer's size
     * @return whether {@link #give} would keep a buffer of that size
     */
    static boolean keeps(long bytes) {
        return bytes <= MAX_BYTES;
    }

    /**
     * Keeps an array that is no longer used, or frees its buffer when it is larger than the pool (a full pool
     * frees its oldest buffers to make room).
     *
     * @param a a detached array that owns its whole buffer (taken over)
     */
    static void give(INDArray a) {
        long b = bytes(a);
        if (!keeps(b)) {
            release(a.data());
            return;
        }
        if (b < MIN_BYTES) {
            INDArray old = null;
            synchronized (Nd4jBufferPool.class) {
                SMALL_FREE.addFirst(a);
                smallHeld += b;
                if (SMALL_FREE.size() > MAX_SMALL) {
                    old = SMALL_FREE.removeLast();
                    smallHeld -= bytes(old);
                }
            }
            if (old != null) {
                release(old.data());
            }
            return;
        }
        synchronized (Nd4jBufferPool.class) {
            while (held + b > MAX_BYTES) {
                INDArray old = FREE.removeLast();
                held -= bytes(old);
                release(old.data());
            }
            FREE.addFirst(a);
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
        for (INDArray a : FREE) {
            release(a.data());
        }
        FREE.clear();
        held = 0;
        for (INDArray a : SMALL_FREE) {
            release(a.data());
        }
        SMALL_FREE.clear();
        smallHeld = 0;
    }
}
