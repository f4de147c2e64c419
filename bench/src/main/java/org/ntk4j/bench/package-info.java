/**
 * JMH micro-benchmarks of the ntk4j backends, each parameterized by backend ({@code ejml}, {@code nd4j},
 * {@code cuda}) and size. Run them by hand, e.g.
 * {@code java -cp "bench/target/ntk4j-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" org.openjdk.jmh.Main Linalg -p backend=nd4j,ejml}.
 */
package org.ntk4j.bench;
