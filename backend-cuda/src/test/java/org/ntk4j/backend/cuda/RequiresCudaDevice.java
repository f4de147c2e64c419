package org.ntk4j.backend.cuda;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class or method only where the CUDA backend is available; elsewhere JUnit reports it as
 * skipped with the probe's reason ("libcuda.so.1 not found: …", "no CUDA device").
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(CudaDeviceCondition.class)
public @interface RequiresCudaDevice {
}
