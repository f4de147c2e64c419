package org.ntk4j.backend.ejml.nn;

import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.ejml.EjmlBackendProvider;

/** The backend the network, kernel and predictor tests run on. */
public final class TestBackends {

    private TestBackends() {
    }

    /** @return a new EJML backend with default options */
    public static Backend ejml() {
        return new EjmlBackendProvider().create(BackendOptions.defaults());
    }
}
