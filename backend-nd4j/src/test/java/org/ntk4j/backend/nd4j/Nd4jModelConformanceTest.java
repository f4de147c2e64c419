package org.ntk4j.backend.nd4j;

import org.junit.jupiter.api.DisplayName;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.tck.model.ModelConformanceKit;

/** The model conformance kit (layers, generic eNTK, model objective, layered training) on the ND4J backend. */
@DisplayName("ND4J backend model conformance")
class Nd4jModelConformanceTest extends ModelConformanceKit {

    @Override
    protected Backend createBackend() {
        return new Nd4jBackendProvider().create(BackendOptions.defaults());
    }
}
