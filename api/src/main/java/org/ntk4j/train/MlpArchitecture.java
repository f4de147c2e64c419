package org.ntk4j.train;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;
import org.ntk4j.backend.Activation;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Parameterization;

/**
 * An MLP with given hidden widths; the input and output widths come from the data. Immutable.
 *
 * @param hidden the hidden widths, each ≥ 1 (none for a linear model) (copied in and out)
 * @param activation the activation between layers
 * @param parameterization NTK or standard
 * @param sigmaW σ_w, &gt; 0
 * @param sigmaB σ_b, ≥ 0
 */
public record MlpArchitecture(int[] hidden, Activation activation, Parameterization parameterization, double sigmaW,
                              double sigmaB) implements Architecture {

    /**
     * @throws IllegalArgumentException naming the bad width or σ
     */
    public MlpArchitecture {
        hidden = hidden.clone();
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden widths must be >= 1, got " + Arrays.toString(hidden));
            }
        }
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(parameterization, "parameterization");
        if (!(sigmaW > 0) || !(sigmaB >= 0) || !Double.isFinite(sigmaW) || !Double.isFinite(sigmaB)) {
            throw new IllegalArgumentException("need σw > 0 and σb >= 0, got " + sigmaW + ", " + sigmaB);
        }
    }

    /**
     * ReLU, NTK parameterization, σ_w = √2, σ_b = 0.1: the defaults of {@code ntk4j train}.
     *
     * @param hidden the hidden widths (not modified)
     * @return the architecture
     */
    public static MlpArchitecture of(int... hidden) {
        return new MlpArchitecture(hidden, Activation.RELU, Parameterization.NTK, Math.sqrt(2), 0.1);
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /**
     * @param inputs the input width d0
     * @param outputs the output width
     * @return the network
     */
    public Mlp mlp(int inputs, int outputs) {
        int[] widths = new int[hidden.length + 2];
        widths[0] = inputs;
        System.arraycopy(hidden, 0, widths, 1, hidden.length);
        widths[widths.length - 1] = outputs;
        return Mlp.builder(widths).activation(activation).parameterization(parameterization).sigmaW(sigmaW)
                .sigmaB(sigmaB).build();
    }

    @Override
    public String describe() {
        return "mlp(" + Arrays.stream(hidden).mapToObj(String::valueOf).collect(Collectors.joining(","))
                + "; " + activation.name() + ", " + parameterization + ", σw=" + sigmaW + ", σb=" + sigmaB + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MlpArchitecture a && Arrays.equals(hidden, a.hidden) && activation.equals(a.activation)
                && parameterization == a.parameterization && sigmaW == a.sigmaW && sigmaB == a.sigmaB;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(hidden), activation, parameterization, sigmaW, sigmaB);
    }

    @Override
    public String toString() {
        return describe();
    }
}
