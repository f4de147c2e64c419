/**
 * Composable layers in the style of neural-tangents' {@code stax}: {@link org.ntk4j.nn.layers.Layer} and its
 * implementations (dense, conv, pooling, flatten, layer norm, activations), the combinators
 * {@link org.ntk4j.nn.layers.Serial} and {@link org.ntk4j.nn.layers.Residual}, the factories in
 * {@link org.ntk4j.nn.layers.Layers}, and {@link org.ntk4j.nn.layers.Model} with its
 * {@link org.ntk4j.nn.layers.ModelParams}. Samples have a logical {@link org.ntk4j.nn.layers.Shape}, (d) or
 * (H, W, C); batches are stored as 2-D backend tensors, one sample per row.
 */
package org.ntk4j.nn.layers;
