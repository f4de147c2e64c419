package org.ntk4j.backend.ejml.optim;

import java.util.ArrayList;
import java.util.List;
import org.ntk4j.nn.Params;
import org.ntk4j.tensor.Tensor;

/** Parameter helpers for the tests. */
final class TestParams {

    private TestParams() {
    }

    /** Wraps tensors as parameters named p0, p1, …. */
    static Params of(Tensor... tensors) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < tensors.length; i++) {
            names.add("p" + i);
        }
        return new Params(tensors[0].backend(), names, List.of(tensors));
    }

    /** A new alpha·p. */
    static Params scaled(double alpha, Params p) {
        Params out = p.copy();
        out.scale(alpha);
        return out;
    }
}
