package org.ntk4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.ejml.EjmlBackendProvider;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.Digits;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/** The traced empirical NTK of all 1797 digits through an MLP 64-512-512-10, on a GPU and on EJML. */
@RequiresCudaDevice
@DisplayName("The digits eNTK on a GPU agrees with EJML")
class CudaDigitsNtkTest {

    private static final int[] WIDTHS = {64, 512, 512, 10};
    private static double[] reference;

    /** @return the kernel on EJML in F64, computed once for both dtypes */
    private static synchronized double[] reference(Dataset digits, double[][] params) {
        if (reference == null) {
            try (Backend ejml = new EjmlBackendProvider().create(BackendOptions.defaults());
                 Tensor theta = TracedNtk.traced(ejml, WIDTHS, digits.features(), digits.size(), params, DType.F64)) {
                reference = ejml.toHost(theta);
            }
        }
        return reference;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    @DisplayName("within 1e-10 (F64) or 1e-4 (F32) of the largest entry")
    void agrees(DType dtype) {
        Dataset digits = Digits.load();
        int n = digits.size();
        double[][] params = TracedNtk.parameters(WIDTHS, 7);
        double[] expected = reference(digits, params);
        double[] actual;
        try (Backend gpu = new CudaBackendProvider().create(BackendOptions.defaults());
             Tensor theta = TracedNtk.traced(gpu, WIDTHS, digits.features(), n, params, dtype)) {
            actual = gpu.toHost(theta);
            assertEquals(theta.size() * dtype.bytes(), ((CudaBackend) gpu).deviceMemoryUsed(),
                    "device memory held besides the result");
        }
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        double tol = (dtype == DType.F32 ? 1e-4 : 1e-10) * scale;
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > tol) {
                throw new AssertionError("Θ[" + i / n + "][" + i % n + "] = " + actual[i] + ", EJML " + expected[i]);
            }
        }
    }
}
