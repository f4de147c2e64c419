package org.ntk4j.backend.ejml;

import org.junit.jupiter.api.DisplayName;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.tck.model.ModelConformanceKit;

/** The model conformance kit (layers, generic eNTK, model objective, layered training) on the EJML backend. */
@DisplayName("EJML backend model conformance")
class EjmlModelConformanceTest extends ModelConformanceKit {

    @Override
    protected Backend createBackend() {
        return new EjmlBackendProvider().create(BackendOptions.defaults());
    }
}
