/**
 * ntk4j's API: tensors, the backend SPI and its selection, networks, empirical and analytic kernels,
 * predictions, optimizers, the training loop, its Micrometer meters, data sets and NumPy file I/O.
 */
module org.ntk4j.api {
    requires transitive micrometer.core;
    requires com.fasterxml.jackson.jr.ob;

    exports org.ntk4j.tensor;
    exports org.ntk4j.backend;
    exports org.ntk4j.backend.spi;
    exports org.ntk4j.data;
    exports org.ntk4j.nn;
    exports org.ntk4j.nn.layers;
    exports org.ntk4j.kernel;
    exports org.ntk4j.optim;
    exports org.ntk4j.train;
    exports org.ntk4j.metrics;
    exports org.ntk4j.io;
    exports org.ntk4j.predict;

    opens org.ntk4j.data;

    uses org.ntk4j.backend.BackendProvider;
    uses org.ntk4j.optim.OptimizerProvider;

    provides org.ntk4j.optim.OptimizerProvider with
            org.ntk4j.optim.Sgd.Provider,
            org.ntk4j.optim.Momentum.Provider,
            org.ntk4j.optim.Adam.Provider,
            org.ntk4j.optim.ProximalNtk.Provider;
}
