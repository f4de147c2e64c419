package org.ntk4j.backend;

/**
 * One line of {@link Backends#report()}: a provider found, its priority and its availability.
 *
 * @param name the provider's name as it spells it; for a services entry that could not be loaded, its class name
 * @param priority its priority
 * @param availability the result of its probe; unavailable, with the cause, for an entry that could not be
 *     loaded, a probe that threw, or a backend that failed to start earlier in this JVM
 * @param selected whether automatic selection picks it
 */
public record ProviderStatus(String name, int priority, Availability availability, boolean selected) {

    /** @return a one-line description: {@code "* nd4j      200  available  OpenBLAS 0.3.21"} */
    @Override
    public String toString() {
        return String.format("%s %-8s %4d  %-11s  %s", selected ? "*" : " ", name, priority,
                availability.available() ? "available" : "unavailable", availability.detail());
    }
}
