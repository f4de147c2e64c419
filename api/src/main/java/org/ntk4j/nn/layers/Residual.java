package org.ntk4j.nn.layers;

import java.util.List;
import java.util.Objects;
import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.Tensor;

/**
 * A residual block: y = x + block(x), for a block whose output shape is its input shape. The parameters are the
 * block's, under the block's names.
 */
public final class Residual implements Layer {

    private final Layer block;

    /**
     * @param block the block, shape-preserving
     */
    public Residual(Layer block) {
        this.block = Objects.requireNonNull(block, "block");
    }

    /** @return the block */
    public Layer block() {
        return block;
    }

    @Override
    public Shape outputShape(Shape input) {
        Shape out = block.outputShape(input);
        if (!out.equals(input)) {
            throw new IllegalArgumentException(this + ": the block maps " + input + " to " + out
                    + ", a residual sum needs the same shape");
        }
        return input;
    }

    @Override
    public List<ParamSpec> parameters(Shape input) {
        outputShape(input);
        return block.parameters(input);
    }

    @Override
    public LayerTrace forward(Backend be, List<Tensor> params, Tensor x, Shape input) {
        outputShape(input);
        LayerTrace inner = block.forward(be, params, x, input);
        Tensor y = be.copy(inner.output());
        be.axpby(1, y, 1, x, y);
        return new LayerTrace() {
            @Override
            public Tensor output() {
                return y;
            }

            @Override
            public Cotangents vjp(Tensor cotangent) {
                Cotangents c = inner.vjp(cotangent);
                be.axpby(1, c.input(), 1, cotangent, c.input());
                return c;
            }

            @Override
            public Tensor backward(Tensor cotangent, boolean needInput, JacobianSink sink) {
                Tensor dx = inner.backward(cotangent, needInput, sink);
                if (dx != null) {
                    be.axpby(1, dx, 1, cotangent, dx);
                }
                return dx;
            }

            @Override
            public void close() {
                inner.close();
                y.close();
            }
        };
    }

    /**
     * The sum of the input's kernel and the block's: exact when the block's output is independent of its input in
     * the limit, which needs a dense or conv layer in the block and centred features on one side or the other.
     */
    @Override
    public KernelValue kernel(KernelValue in) {
        outputShape(in.shape());
        try (KernelValue b = block.kernel(in)) {
            if (b.mixes == in.mixes) {
                throw new IllegalArgumentException(this + ": the kernel map sums the input's and the block's kernels,"
                        + " which needs a dense or conv layer in the block");
            }
            if (!b.centred && !in.centred) {
                throw new IllegalArgumentException(this + ": the kernel map sums the input's and the block's kernels,"
                        + " which needs centred features on one side (end the block with dense or conv)");
            }
            return KernelMaps.sum(in, b);
        }
    }

    @Override
    public boolean kernelNeedsFullSpatial() {
        return block.kernelNeedsFullSpatial();
    }

    @Override
    public String toString() {
        return "residual(" + block + ")";
    }
}
