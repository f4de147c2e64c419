package com.example.ntk4j.simple;

import org.junit.jupiter.api.DisplayName;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.tck.BackendConformanceKit;

/** Runs the whole ntk4j conformance kit against the simple backend, created as ServiceLoader users get it. */
@DisplayName("simple (third-party) backend conformance")
class SimpleBackendConformanceTest extends BackendConformanceKit {

    @Override
    protected Backend createBackend() {
        return new SimpleBackendProvider().create(BackendOptions.defaults());
    }
}
