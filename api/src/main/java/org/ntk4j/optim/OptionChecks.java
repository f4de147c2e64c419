package org.ntk4j.optim;

import java.util.List;
import org.ntk4j.tensor.Tensor;

/** Argument checks shared by the optimizers. */
final class OptionChecks {

    private OptionChecks() {
    }

    static double positive(String name, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException("optimizer option '" + name + "' must be finite and > 0, got " + v);
        }
        return v;
    }

    static double inUnitInterval(String name, double v, boolean closedAtZero) {
        if (!(v < 1) || (closedAtZero ? v < 0 : v <= 0) || Double.isNaN(v)) {
            throw new IllegalArgumentException("optimizer option '" + name + "' must be in " + (closedAtZero ? "[0" : "(0")
                    + ", 1), got " + v);
        }
        return v;
    }

    static double nonNegative(String name, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException("optimizer option '" + name + "' must be finite and >= 0, got " + v);
        }
        return v;
    }

    static void stateShape(String optimizer, double[] scalars, int nScalars, List<Tensor> tensors, int nTensors) {
        if (scalars.length != nScalars || tensors.size() != nTensors) {
            throw new IllegalArgumentException(optimizer + " state needs " + nScalars + " numbers and " + nTensors
                    + " tensors, got " + scalars.length + " and " + tensors.size());
        }
    }
}
