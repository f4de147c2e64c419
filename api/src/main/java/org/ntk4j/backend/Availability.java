package org.ntk4j.backend;

import java.util.Objects;

/**
 * The result of {@link BackendProvider#probe()}: whether the backend can be created here, and a detail
 * that says why not ("libcuda.so.1 not found") or what it found ("NVIDIA H200, compute 9.0, 139 GiB").
 *
 * @param available whether {@link BackendProvider#create} is expected to succeed
 * @param detail a one-line human-readable reason or description, never null
 */
public record Availability(boolean available, String detail) {

    /**
     * @param available whether the backend can be created
     * @param detail the reason or description
     */
    public Availability {
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * @param detail what was found
     * @return an available result
     */
    public static Availability available(String detail) {
        return new Availability(true, detail);
    }

    /**
     * @param reason why the backend cannot be used here
     * @return an unavailable result
     */
    public static Availability unavailable(String reason) {
        return new Availability(false, reason);
    }
}
