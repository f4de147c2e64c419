package org.ntk4j.backend.nd4j;

import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntk4j.tensor.DType;

/**
 * Allocation and release of the backend's off-heap arrays. Every array is made outside any ND4J workspace
 * (even if the application has one open on this thread), so that its lifetime is exactly that of its tensor
 * or of the try-block of a temporary, and is freed explicitly rather than by the garbage collector. Large and
 * small buffers are freed into {@link Nd4jBufferPool}, which hands them out again.
 */
final class Nd4jMemory {

    /** Bytes of the arrays made here and not yet freed: ND4J's own buffers are invisible to JavaCPP's counters. */
    private static final AtomicLong LIVE_BYTES = new AtomicLong();

    private Nd4jMemory() {
    }

    /** @return the off-heap bytes of this backend's arrays that are currently allocated, in this JVM */
    static long liveBytes() {
        return LIVE_BYTES.get();
    }

    private static INDArray counted(INDArray a) {
        LIVE_BYTES.addAndGet(a.length() * a.dataType().width());
        return a;
    }

    /**
     * @param dtype the element type
     * @return ND4J's data type for it
     */
    static DataType dataType(DType dtype) {
        return dtype == DType.F64 ? DataType.DOUBLE : DataType.FLOAT;
    }

    /**
     * @param rows rows, ≥ 1
     * @param cols columns, ≥ 1
     * @param dtype the element type
     * @return a new detached c-order array of zeros, to be freed with {@link #free}
     */
    @SuppressWarnings("try") // the workspace scope only has to be open while the array is made
    static INDArray zeros(int rows, int cols, DType dtype) {
        INDArray a = kept(rows, cols, dtype);
        if (a != null) {
            Pointer.memset(a.data().addressPointer(), 0, a.length() * a.dataType().width());
            return a;
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return counted(Nd4j.zeros(dataType(dtype), rows, cols));
        }
    }

    /**
     * @param rows rows, ≥ 1
     * @param cols columns, ≥ 1
     * @param dtype the element type
     * @return a new detached c-order array whose values are undefined (a kept buffer's, or zeros), to be
     *     overwritten whole by its maker and freed with {@link #free}
     */
    @SuppressWarnings("try") // the workspace scope only has to be open while the array is made
    static INDArray empty(int rows, int cols, DType dtype) {
        INDArray a = kept(rows, cols, dtype);
        if (a != null) {
            return a;
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return counted(Nd4j.createUninitialized(dataType(dtype), rows, cols));
        }
    }

    /** An array of that shape from {@link Nd4jBufferPool}, values stale, or null. */
    private static INDArray kept(int rows, int cols, DType dtype) {
        INDArray a = Nd4jBufferPool.take(dataType(dtype), rows, cols);
        if (a == null) {
            return null;
        }
        return counted(a.rows() == rows && a.columns() == cols ? a : reuse(a.data(), rows, cols));
    }

    /** A new array on the buffer of a kept one (of another shape). */
    @SuppressWarnings("try") // the workspace scope only has to be open while the array is made
    private static INDArray reuse(DataBuffer kept, long rows, long cols) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.create(kept, rows, cols);
        } catch (RuntimeException e) {
            Nd4jBufferPool.release(kept);
            throw e;
        }
    }

    /**
     * @param data row-major values (not modified, not retained)
     * @param rows rows
     * @param cols columns
     * @param dtype the element type; F32 rounds every value
     * @return a new detached c-order array holding the values
     */
    static INDArray fromHost(double[] data, int rows, int cols, DType dtype) {
        // overwritten whole: no need to clear it first
        INDArray a = empty(rows, cols, dtype);
        write(a, data);
        return a;
    }

    /**
     * @param a an array (not modified): a detached c-order array, or a view of one
     * @return a new detached c-order copy
     */
    @SuppressWarnings("try") // the workspace scope only has to be open while the array is made
    static INDArray copy(INDArray a) {
        // a view (a transpose, a slice) is not its buffer's bytes in order: ND4J copies it
        if (a.ordering() == 'c' && !a.isView() && a.data().length() == a.length()
                && Nd4jBufferPool.keeps(a.length() * a.dataType().width())) {
            INDArray out = empty(a.rows(), a.columns(), a.dataType() == DataType.DOUBLE ? DType.F64 : DType.F32);
            copyBytes(a.data().addressPointer(), 0, out.data().addressPointer(), 0, a.length() * a.dataType().width());
            return out;
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return counted(a.dup('c'));
        }
    }

    /**
     * Copies an array's values to the host: through an NIO view, or for arrays past 2 GiB (an M×M F64 array
     * at M &gt; 16,383), where an NIO view ends, through a JavaCPP pointer.
     *
     * @param a a contiguous c-order array (not modified)
     * @return a new row-major array, F32 widened to double
     */
    static double[] read(INDArray a) {
        int n = (int) a.length();
        double[] out = new double[n];
        boolean huge = (long) n * a.dataType().width() > Integer.MAX_VALUE;
        if (a.dataType() == DataType.DOUBLE) {
            if (huge) {
                new DoublePointer(a.data().addressPointer()).get(out, 0, n);
            } else {
                a.data().asNioDouble().get(out, 0, n);
            }
        } else {
            float[] f = new float[n];
            if (huge) {
                new FloatPointer(a.data().addressPointer()).get(f, 0, n);
            } else {
                a.data().asNioFloat().get(f, 0, n);
            }
            for (int i = 0; i < n; i++) {
                out[i] = f[i];
            }
        }
        return out;
    }

    /**
     * Overwrites an array's values from the host.
     *
     * @param a a contiguous c-order array, modified
     * @param data row-major values, at least a.length() of them (not modified)
     */
    static void write(INDArray a, double[] data) {
        int n = (int) a.length();
        boolean huge = (long) n * a.dataType().width() > Integer.MAX_VALUE;
        if (a.dataType() == DataType.DOUBLE) {
            if (huge) {
                new DoublePointer(a.data().addressPointer()).put(data, 0, n);
            } else {
                a.data().asNioDouble().put(data, 0, n);
            }
        } else {
            float[] f = new float[n];
            for (int i = 0; i < n; i++) {
                f[i] = (float) data[i];
            }
            if (huge) {
                new FloatPointer(a.data().addressPointer()).put(f, 0, n);
            } else {
                a.data().asNioFloat().put(f, 0, n);
            }
        }
    }

    /**
     * Frees an array's off-heap buffer now. Safe on null.
     *
     * @param a an array this backend made (freed; unusable afterwards)
     */
    static void free(INDArray a) {
        if (a == null || a.wasClosed()) {
            return;
        }
        LIVE_BYTES.addAndGet(-a.length() * a.dataType().width());
        DataBuffer d0 = a.data();
        if (Nd4jBufferPool.keeps(d0.length() * d0.dataType().width()) && !d0.wasClosed() && !a.isView()
                && d0.length() == a.length()) {
            Nd4jBufferPool.give(a);
            return;
        }
        if (a.closeable()) {
            a.close();
        } else {
            DataBuffer d = a.data();
            if (!d.wasClosed()) {
                d.destroy();
            }
        }
    }

    /**
     * Copies bytes between off-heap buffers.
     *
     * @param from the source buffer's address (not modified)
     * @param fromOffset the byte offset in the source
     * @param to the destination buffer's address (modified)
     * @param toOffset the byte offset in the destination
     * @param bytes how many bytes; both ranges lie inside their buffers and do not overlap
     */
    static void copyBytes(Pointer from, long fromOffset, Pointer to, long toOffset, long bytes) {
        BytePointer src = new BytePointer(from);
        BytePointer dst = new BytePointer(to);
        Pointer.memcpy(dst.position(toOffset), src.position(fromOffset), bytes);
    }
}
