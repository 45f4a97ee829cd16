package dev.onelayer.kernel;

import java.util.Locale;

/**
 * The {@code -Donelayer.*} system properties that choose kernel paths, parsed in one place and
 * without side effects, so a front end can reject a bad value up front ({@link #validate}) on its
 * own thread, instead of learning it from a class initialiser that may first run on a worker
 * thread (where the JVM reports the failure as a bare {@code NoClassDefFoundError}).
 */
public final class KernelOptions {

    /** Forces the implementation: {@code auto} (default), {@code vector} or {@code scalar}. */
    public static final String IMPLEMENTATION = "onelayer.kernel";
    /** Form 5's backward token gather: {@code auto} (default), {@code indexed} or {@code permute}. */
    public static final String SCB_GATHER = "onelayer.scb.gather";

    private KernelOptions() {
    }

    /** The implementation choice, lower case; throws naming the property if it is not a known value. */
    public static String implementation() {
        return choice(IMPLEMENTATION, "auto, vector or scalar", "auto", "vector", "scalar");
    }

    /** The form-5 gather choice, lower case; throws naming the property if it is not a known value. */
    public static String scbGather() {
        return choice(SCB_GATHER, "auto, indexed or permute", "auto", "indexed", "permute");
    }

    /** Checks every option; throws {@link IllegalArgumentException} naming the first bad one. */
    public static void validate() {
        implementation();
        scbGather();
    }

    /** The property's value among {@code allowed} (the first is the default); {@code described} lists them for the message. */
    private static String choice(String property, String described, String... allowed) {
        String value = System.getProperty(property, allowed[0]).trim().toLowerCase(Locale.ROOT);
        if (value.isEmpty()) return allowed[0];
        for (String a : allowed) {
            if (a.equals(value)) return value;
        }
        throw new IllegalArgumentException("-D" + property + " must be " + described + ", not '" + value + "'");
    }
}
