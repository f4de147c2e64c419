package org.ntk4j.backend.ejml;

import org.junit.jupiter.api.DisplayName;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.tck.BackendConformanceKit;

/** Runs the whole conformance kit against the EJML backend, created as users get it, with its threaded kernels on. */
@DisplayName("EJML backend conformance")
class EjmlBackendConformanceTest extends BackendConformanceKit {

    @Override
    protected Backend createBackend() {
        return new EjmlBackendProvider().create(BackendOptions.defaults());
    }
}
