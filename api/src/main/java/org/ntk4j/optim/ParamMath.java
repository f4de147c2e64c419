package org.ntk4j.optim;

import java.util.List;
import org.ntk4j.nn.Params;
import org.ntk4j.tensor.Tensor;

/** Out-of-place parameter arithmetic for the pure optimizer functions: every result is new. */
final class ParamMath {

    private ParamMath() {
    }

    /** @return a new alpha·x + beta·y */
    static Params combine(double alpha, Params x, double beta, Params y) {
        Params out = x.zerosLike();
        Params.axpby(alpha, x, beta, y, out);
        return out;
    }

    /** @return a new alpha·x */
    static Params scaled(double alpha, Params x) {
        Params out = x.zerosLike();
        Params.axpby(alpha, x, 0, x, out);
        return out;
    }

    /**
     * @param tensors tensors in the layout of {@code like} (taken over)
     * @param like parameters giving the names and shapes (not modified)
     * @param what what the tensors are, for the message
     * @return the tensors as parameters named like {@code like}
     */
    static Params like(List<Tensor> tensors, Params like, String what) {
        Params p = new Params(like.backend(), like.names(), tensors);
        p.requireSameLayout(like, what);
        return p;
    }
}
