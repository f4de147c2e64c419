package org.ntk4j.backend.nd4j;

import org.junit.jupiter.api.DisplayName;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.tck.BackendConformanceKit;

/** Runs the whole conformance kit against the ND4J backend as users get it, in F64 and F32. */
@DisplayName("ND4J backend conformance")
class Nd4jBackendConformanceTest extends BackendConformanceKit {

    @Override
    protected Backend createBackend() {
        return new Nd4jBackendProvider().create(BackendOptions.defaults());
    }
}
