package org.ntk4j.backend.nd4j;

import org.ntk4j.backend.Availability;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.BackendUnavailableException;
import org.ntk4j.backend.Backends;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * Run in a child JVM by {@link Nd4jProviderTest}: probes the provider, and when it is available selects the
 * default backend and runs one GEMM (when it is not, checks that create() refuses), then prints exactly one line, {@code available|selected|detail}, so that
 * the parent can check that nothing else reached standard output.
 */
public final class ProbeMain {

    private ProbeMain() {
    }

    /**
     * @param args ignored
     */
    public static void main(String[] args) {
        Availability a = new Nd4jBackendProvider().probe();
        String selected = "-";
        if (a.available()) {
            try (Backend b = Backends.create()) {
                selected = b.name();
                Tensor x = b.fromHost(new double[] {1, 2, 3, 4}, 2, 2, DType.F64);
                Tensor y = b.zeros(2, 2, DType.F64);
                b.gemm(1, x, false, x, true, 0, y);
                if (b.toHost(y)[0] != 5) {
                    selected = "wrong-result";
                }
            }
        } else {
            try (Backend b = new Nd4jBackendProvider().create(BackendOptions.defaults())) {
                selected = "created-anyway";
            } catch (BackendUnavailableException e) {
                selected = "refused";
            }
        }
        System.out.println(a.available() + "|" + selected + "|" + a.detail());
    }
}
