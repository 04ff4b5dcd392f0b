package dev.petrel.e2e;

import java.lang.management.ManagementFactory;

/** A main class for the launcher's tests: prints the JVM's options, one a line, to see what bin/petrel gave it. */
public final class JvmArguments {

    private JvmArguments() {}

    public static void main(String[] args) {
        ManagementFactory.getRuntimeMXBean().getInputArguments().forEach(System.out::println);
    }
}
