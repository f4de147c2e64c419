/** Predictions from kernels: gradient-descent training dynamics under MSE and Gaussian-process inference. */
package org.ntk4j.predict;
