package org.ntk4j.spark;

import java.io.Serializable;
import java.util.Objects;
import org.ntk4j.backend.Activation;
import org.ntk4j.kernel.AnalyticNtk;
import org.ntk4j.predict.CrossKernel;

/**
 * An analytic kernel as it travels to executors: the MLP architecture (depth, activation, σ_w, σ_b) and
 * whether the NNGP or the NTK is meant. Each executor rebuilds the kernel from it.
 *
 * @param depth the number of dense layers ≥ 1
 * @param activationKind the nonlinearity's kind
 * @param activationAlpha its parameter (the leaky ReLU's slope; 0 for the others)
 * @param sigmaW σ_w &gt; 0
 * @param sigmaB σ_b ≥ 0
 * @param nngp the NNGP kernel when true, else the NTK
 */
public record KernelSpec(int depth, Activation.Kind activationKind, double activationAlpha, double sigmaW, double sigmaB,
                         boolean nngp)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Checks the values (by building the kernel once). */
    public KernelSpec {
        Objects.requireNonNull(activationKind, "activation");
        AnalyticNtk.of(depth, new Activation.Builtin(activationKind, activationAlpha), sigmaW, sigmaB);
    }

    /**
     * @param depth the number of dense layers ≥ 1
     * @param activation the nonlinearity, a built-in (executors rebuild it from its kind)
     * @param sigmaW σ_w &gt; 0
     * @param sigmaB σ_b ≥ 0
     * @param nngp the NNGP kernel when true, else the NTK
     * @return the description
     * @throws IllegalArgumentException when the activation is not a built-in
     */
    public static KernelSpec of(int depth, Activation activation, double sigmaW, double sigmaB, boolean nngp) {
        if (!(activation instanceof Activation.Builtin b)) {
            throw new IllegalArgumentException("Spark kernels take the built-in activations only, not "
                    + activation.name());
        }
        return new KernelSpec(depth, b.kind(), b.alpha(), sigmaW, sigmaB, nngp);
    }

    /** @return the nonlinearity */
    public Activation activation() {
        return new Activation.Builtin(activationKind, activationAlpha);
    }

    /**
     * @param kernel an analytic kernel
     * @param nngp the NNGP when true, else the NTK
     * @return its description
     */
    public static KernelSpec of(AnalyticNtk kernel, boolean nngp) {
        return of(kernel.depth(), kernel.activation(), kernel.sigmaW(), kernel.sigmaB(), nngp);
    }

    /** @return the kernel, reporting to no meter registry */
    public CrossKernel kernel() {
        AnalyticNtk a = AnalyticNtk.of(depth, activation(), sigmaW, sigmaB).withMeterRegistry(null);
        return nngp ? CrossKernel.analyticNngp(a) : CrossKernel.analyticNtk(a);
    }

    @Override
    public String toString() {
        return (nngp ? "NNGP" : "NTK") + " of " + AnalyticNtk.of(depth, activation(), sigmaW, sigmaB);
    }
}
