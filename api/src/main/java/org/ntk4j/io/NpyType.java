package org.ntk4j.io;

/** The element types ntk4j reads and writes in {@code .npy} files: little-endian floats and integers. */
public enum NpyType {
    /** {@code <f8}: IEEE 754 double. */
    FLOAT64("<f8", 8),
    /** {@code <f4}: IEEE 754 single. */
    FLOAT32("<f4", 4),
    /** {@code <i4}: 32-bit signed integer. */
    INT32("<i4", 4),
    /** {@code <i8}: 64-bit signed integer. */
    INT64("<i8", 8);

    private final String descr;
    private final int bytes;

    NpyType(String descr, int bytes) {
        this.descr = descr;
        this.bytes = bytes;
    }

    /** @return NumPy's type string, e.g. {@code <f8} */
    public String descr() {
        return descr;
    }

    /** @return the size of one element in bytes */
    public int bytes() {
        return bytes;
    }

    /** @return whether the type holds floating-point values */
    public boolean isFloat() {
        return this == FLOAT64 || this == FLOAT32;
    }

    /**
     * @param descr a NumPy type string
     * @return the type, or {@code null} if ntk4j does not support it
     */
    static NpyType ofDescr(String descr) {
        for (NpyType t : values()) {
            if (t.descr.equals(descr)) {
                return t;
            }
        }
        return null;
    }
}
