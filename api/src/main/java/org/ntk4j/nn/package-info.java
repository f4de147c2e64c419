/** Networks: the {@link org.ntk4j.nn.Mlp} architecture, its parameters, forward and backward passes, losses. */
package org.ntk4j.nn;
