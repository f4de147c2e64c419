package org.ntk4j.tck.model;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.ntk4j.backend.Backend;

/**
 * The base of every group of the model conformance kit: one backend per group, created before its first test and
 * closed after its last. The groups run in F64, which every backend supports.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ModelConformanceGroup {

    /** The backend under test. */
    protected Backend be;

    /** For subclasses. */
    protected ModelConformanceGroup() {
    }

    /**
     * Creates a new instance of the backend under test; called once per group.
     *
     * @return a new backend, closed by the kit
     */
    protected abstract Backend createBackend();

    @BeforeAll
    final void openBackend() {
        be = createBackend();
        assertNotNull(be, "createBackend() returned null");
    }

    @AfterAll
    final void closeBackend() {
        if (be != null) {
            be.close();
        }
    }
}
