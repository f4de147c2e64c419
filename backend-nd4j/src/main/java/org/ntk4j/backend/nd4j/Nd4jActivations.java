package org.ntk4j.backend.nd4j;

import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import org.ntk4j.backend.Activation;

/**
 * Activations, their derivatives and their infinite-width duals on ND4J arrays. The piecewise-linear
 * activations, tanh and the logistic sigmoid run as native ND4J ops; the others (erf, GELU, softplus and
 * some derivatives) have no ND4J op that matches {@link Activation}'s reference formulas, so they are
 * evaluated from those formulas on the host, in parallel for large arrays, as is every activation that is not a
 * built-in. The duals are in {@link Nd4jDuals}.
 */
final class Nd4jActivations {

    private static final int PARALLEL_ELEMENTS = 1 << 15;

    private Nd4jActivations() {
    }

    /**
     * out ← φ(x).
     *
     * @param f the activation
     * @param x the input (not modified unless it is out)
     * @param out same shape and type, modified
     */
    static void apply(Activation f, INDArray x, INDArray out) {
        if (!(f instanceof Activation.Builtin b)) {
            onHost(x, out, f::apply);
            return;
        }
        switch (b.kind()) {
            case IDENTITY:
                if (x != out) {
                    Nd4jNative.copy(x, out);
                }
                break;
            case RELU:
                if (Nd4jLoops.small(out)) {
                    Nd4jLoops.relu(x, out);
                } else {
                    Nd4j.exec(new ScalarMax(x, null, out, 0.0));
                }
                break;
            case LEAKY_RELU:
                Nd4j.exec(new LeakyReLU(x, out, b.alpha()));
                break;
            case TANH:
                Nd4j.exec(new Tanh(x, out));
                break;
            case SIGMOID:
                Nd4j.exec(new Sigmoid(x, out));
                break;
            default:
                onHost(x, out, f::apply);
        }
    }

    /**
     * out ← φ'(x).
     *
     * @param f the activation
     * @param x the input (not modified unless it is out)
     * @param out same shape and type, modified
     */
    static void derivative(Activation f, INDArray x, INDArray out) {
        if (!(f instanceof Activation.Builtin b)) {
            onHost(x, out, f::derivative);
            return;
        }
        switch (b.kind()) {
            case IDENTITY:
                out.assign(1.0);
                break;
            case RELU:
                if (Nd4jLoops.small(out)) {
                    Nd4jLoops.reluDerivative(x, out);
                } else {
                    Nd4j.exec(new Step(x, out, 0.0));
                }
                break;
            case LEAKY_RELU:
                // step(x) ∈ {0, 1} → (1 − α)·step + α ∈ {α, 1}
                Nd4j.exec(new Step(x, out, 0.0));
                Nd4jBackend.affine(1 - b.alpha(), out, b.alpha(), out);
                break;
            case TANH:
                Nd4j.exec(new Tanh(x, out));
                Nd4j.exec(new MulOp(out, out, out));
                Nd4jBackend.affine(-1, out, 1, out);
                break;
            default:
                onHost(x, out, f::derivative);
        }
    }

    /** out ← g(x) elementwise, computed on the host. */
    private static void onHost(INDArray x, INDArray out, java.util.function.DoubleUnaryOperator g) {
        double[] v = Nd4jMemory.read(x);
        if (v.length >= PARALLEL_ELEMENTS) {
            IntStream.range(0, v.length).parallel().forEach(i -> v[i] = g.applyAsDouble(v[i]));
        } else {
            for (int i = 0; i < v.length; i++) {
                v[i] = g.applyAsDouble(v[i]);
            }
        }
        Nd4jMemory.write(out, v);
    }
}
