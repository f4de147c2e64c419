package org.ntk4j.backend.cuda;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.ntk4j.backend.Availability;

/** The condition behind {@link RequiresCudaDevice}: enabled when the provider's probe finds a device. */
public final class CudaDeviceCondition implements ExecutionCondition {

    /** Makes the condition; JUnit calls this. */
    public CudaDeviceCondition() {
        // stateless
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Availability a = new CudaBackendProvider().probe();
        return a.available()
                ? ConditionEvaluationResult.enabled("CUDA device: " + a.detail())
                : ConditionEvaluationResult.disabled("no CUDA device: " + a.detail());
    }
}
