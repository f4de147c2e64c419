/**
 * The model conformance kit: abstract JUnit 5 groups that test layered models, the generic empirical NTK, the
 * model objective and layered training on the backend a subclass creates ({@link
 * org.ntk4j.tck.model.ModelConformanceKit} runs them all).
 */
package org.ntk4j.tck.model;
