/** Kernels: the exact empirical NTK of a network and the analytic (infinite-width) NNGP and NTK. */
package org.ntk4j.kernel;
