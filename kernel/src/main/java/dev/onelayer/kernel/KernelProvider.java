package dev.onelayer.kernel;

import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * Decides once, at class initialisation, whether the Vector API implementations are used.
 *
 * <p>The vector path needs three things: the {@code jdk.incubator.vector} module in the boot
 * layer (run with {@code --add-modules jdk.incubator.vector}), the C2 compiler (without it every
 * vector operation runs as boxed Java code, far slower than scalar), and a preferred float
 * species of at least 128 bits. The system property {@code onelayer.kernel} ({@code auto},
 * {@code vector}, {@code scalar}) overrides the choice; {@code vector} fails loudly when the
 * module is missing. The decision is printed as one line on standard error (silence it with
 * {@code -Donelayer.kernel.log=false}).
 *
 * <p>Vector classes are only ever loaded by name through {@link #load}, after the checks pass,
 * so a JVM without the module never links against {@code jdk.incubator.vector}.
 */
public final class KernelProvider {

    /** System property that forces the implementation: auto, vector or scalar. */
    public static final String PROPERTY = KernelOptions.IMPLEMENTATION;

    private static final boolean VECTOR;
    private static final String REASON;
    private static final int VECTOR_BIT_SIZE;

    static {
        String forced;
        try {
            forced = KernelOptions.implementation();
        } catch (IllegalArgumentException e) {
            throw new ExceptionInInitializerError(e.getMessage());
        }
        String problem = vectorProblem();
        boolean vector;
        String reason;
        switch (forced) {
            case "scalar":
                vector = false;
                reason = "forced by -D" + PROPERTY + "=scalar";
                break;
            case "vector":
                if (problem != null) {
                    throw new ExceptionInInitializerError(
                            "-D" + PROPERTY + "=vector, but the Vector API cannot be used: " + problem);
                }
                vector = true;
                reason = "forced by -D" + PROPERTY + "=vector";
                break;
            case "auto":
                vector = problem == null;
                reason = vector ? "jdk.incubator.vector readable, C2 enabled" : problem;
                break;
            default:
                throw new AssertionError(forced); // KernelOptions accepts only the three above
        }
        int bits = 0;
        if (vector) {
            bits = ((java.util.function.IntSupplier) instantiate(
                    "dev.onelayer.kernel.vector.VectorInfo")).getAsInt();
        }
        VECTOR = vector;
        REASON = reason;
        VECTOR_BIT_SIZE = bits;
        if (!"false".equalsIgnoreCase(System.getProperty(PROPERTY + ".log", "true"))) {
            System.err.println(vector
                    ? "onelayer: kernel implementation vector (" + bits + "-bit float lanes; " + reason + ")"
                    : "WARNING: onelayer: kernel implementation scalar (" + reason + ")");
        }
    }

    private KernelProvider() {
    }

    /** Whether the Vector API implementations are in use. */
    public static boolean vectorEnabled() {
        return VECTOR;
    }

    /** Why the implementation was chosen, in words. */
    public static String reason() {
        return REASON;
    }

    /** Width of the float vectors in bits (0 when scalar). */
    public static int vectorBitSize() {
        return VECTOR_BIT_SIZE;
    }

    /** One line naming the implementation, its width and the reason. */
    public static String describe() {
        return VECTOR
                ? "vector, " + VECTOR_BIT_SIZE + "-bit (" + (VECTOR_BIT_SIZE / 32) + " float lanes): " + REASON
                : "scalar: " + REASON;
    }

    /**
     * The implementation of a kernel family: the vector class named {@code vectorClass} when the
     * vector path is enabled, {@code scalar} otherwise.
     */
    public static <T> T load(Class<T> type, String vectorClass, T scalar) {
        return VECTOR ? type.cast(instantiate(vectorClass)) : scalar;
    }

    /**
     * The vector implementation of a family if this JVM can run it at all (for tests that compare
     * both implementations regardless of which one the facade uses).
     */
    public static <T> Optional<T> vectorImplementation(Class<T> type, String vectorClass) {
        if (vectorProblem() != null) return Optional.empty();
        return Optional.of(type.cast(instantiate(vectorClass)));
    }

    private static Object instantiate(String className) {
        try {
            return Class.forName(className).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate " + className, e);
        }
    }

    /** Null when the vector path can run here, otherwise the reason it cannot. */
    private static String vectorProblem() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return "jdk.incubator.vector is not readable; pass --add-modules jdk.incubator.vector to enable SIMD";
        }
        String vmName = System.getProperty("java.vm.name", "");
        String vmInfo = System.getProperty("java.vm.info", "");
        if (!vmName.contains("HotSpot") && !vmName.contains("OpenJDK")) {
            return "JVM '" + vmName + "' is not HotSpot; the Vector API would not be compiled to SIMD";
        }
        if (vmInfo.contains("interpreted mode")) {
            return "the JIT is off (-Xint); remove -Xint to enable SIMD";
        }
        String c2 = c2Problem();
        if (c2 != null) return c2;
        return null;
    }

    private static String c2Problem() {
        try {
            com.sun.management.HotSpotDiagnosticMXBean bean =
                    ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (bean == null) return null;
            if ("true".equals(bean.getVMOption("TieredCompilation").getValue())) {
                int stop = Integer.parseInt(bean.getVMOption("TieredStopAtLevel").getValue());
                if (stop < 4) {
                    return "C2 is disabled (-XX:TieredStopAtLevel=" + stop + "); remove that flag to enable SIMD";
                }
            }
            if ("false".equals(vmOption(bean, "UseCompiler"))) {
                return "the JIT is off (-XX:-UseCompiler)";
            }
            return null;
        } catch (Throwable t) {
            // No jdk.management (e.g. a jlinked runtime): nothing to inspect, assume a standard JVM.
            return null;
        }
    }

    private static String vmOption(com.sun.management.HotSpotDiagnosticMXBean bean, String name) {
        try {
            return bean.getVMOption(name).getValue();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
