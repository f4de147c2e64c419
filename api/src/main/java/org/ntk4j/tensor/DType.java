package org.ntk4j.tensor;

/** Element type of a {@link Tensor}. Host data always crosses the backend boundary as {@code double[]} or {@code float[]}. */
public enum DType {
    /** IEEE 754 double precision; the default and the type every backend must support. */
    F64(8),
    /** IEEE 754 single precision; optional, a backend lists it in {@code Backend.dtypes()} when it supports it. */
    F32(4);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** @return the size of one element in bytes */
    public int bytes() {
        return bytes;
    }
}
