/**
 * File formats: NumPy {@code .npy} arrays and {@code .npz} archives, and atomic file writing (a temporary file
 * in the target's folder, then a move), so that a failure never leaves a half-written file behind.
 */
package org.ntk4j.io;
