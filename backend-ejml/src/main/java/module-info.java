/** The pure-Java ntk4j backend on EJML (F64). */
module org.ntk4j.backend.ejml {
    requires org.ntk4j.api;
    requires ejml.core;
    requires ejml.ddense;

    provides org.ntk4j.backend.BackendProvider with org.ntk4j.backend.ejml.EjmlBackendProvider;
}
