package org.ntk4j.cli;

import picocli.CommandLine;

/** The version line of {@code ntk4j --version}, from the jar's manifest when there is one. */
final class Version implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = Ntk4j.class.getPackage().getImplementationVersion();
        return new String[] {"ntk4j " + (v != null ? v : "(development build)") + ", Java "
                + System.getProperty("java.version") + " on " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch")};
    }
}
