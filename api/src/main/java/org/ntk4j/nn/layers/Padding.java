package org.ntk4j.nn.layers;

/** How a convolution treats the border. */
public enum Padding {
    /**
     * Zeros around the input: the output has ⌈H/stride⌉ × ⌈W/stride⌉ positions and the window of output (i, j)
     * starts at input (i·stride − ph, j·stride − pw) with ph = ⌊(kh − 1)/2⌋, pw = ⌊(kw − 1)/2⌋.
     */
    SAME,
    /** No padding: ⌊(H − kh)/stride⌋ + 1 × ⌊(W − kw)/stride⌋ + 1 positions, windows inside the input. */
    VALID
}
