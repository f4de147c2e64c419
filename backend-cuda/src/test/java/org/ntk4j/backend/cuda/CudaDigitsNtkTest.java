package org.ntk4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.ejml.EjmlBackendProvider;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.Digits;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.MlpParams;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * The library's traced empirical NTK of all 1797 digits through an MLP 64-512-512-10 (ReLU, NTK
 * parameterization, σ_w = √2, σ_b = 0.1), on a GPU and on EJML, the same seeded parameters on both.
 */
@RequiresCudaDevice
@DisplayName("The digits eNTK on a GPU agrees with EJML")
class CudaDigitsNtkTest {

    private static final Mlp MLP = Mlp.builder(64, 512, 512, 10).activation(Activation.RELU).sigmaW(Math.sqrt(2))
            .sigmaB(0.1).build();
    private static double[] reference;

    /**
     * @return Θ(X, X) of the digits on the backend, the only tensor left on it
     */
    private static Tensor kernel(Backend b, Dataset digits, MlpParams params, DType dtype) {
        try (TensorScope scope = b.scope()) {
            Tensor x = b.fromHost(digits.features(), digits.size(), digits.dims(), dtype);
            return scope.keep(new EmpiricalNtk(MLP).withMeterRegistry(null)
                    .compute(params.upload(b, dtype), x, OutputAxes.TRACED));
        }
    }

    /** @return the kernel on EJML in F64, computed once for both dtypes */
    private static synchronized double[] reference(Dataset digits, MlpParams params) {
        if (reference == null) {
            try (Backend ejml = new EjmlBackendProvider().create(BackendOptions.defaults());
                 Tensor theta = kernel(ejml, digits, params, DType.F64)) {
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
        MlpParams params = MLP.init(7);
        double[] expected = reference(digits, params);
        double[] actual;
        try (Backend gpu = new CudaBackendProvider().create(BackendOptions.defaults());
             Tensor theta = kernel(gpu, digits, params, dtype)) {
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
