package dev.onelayer.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider decides once and says why. In this JVM: {@link KernelProvider#describe()} is one
 * consistent line. In child JVMs (the current {@code java}, the kernel classes on the class path,
 * {@link ProviderProbe} as main): without {@code --add-modules} the facade falls back to scalar
 * with exactly one warning line naming the flag and still computes correctly; the system property
 * forces scalar; a bad value or a forced vector path without the module fails with a clear message.
 */
class KernelProviderTest {

    private static final String VECTOR_CLASS = "dev.onelayer.kernel.vector.VectorDenseOps";
    private static final String EXACT_DOT = "dot=338350.0";

    @TempDir
    Path tmp;

    @Test
    void describeIsOneConsistentLine() {
        String d = KernelProvider.describe();
        assertFalse(d.isBlank());
        assertFalse(d.contains("\n") || d.contains("\r"), d);
        String reason = KernelProvider.reason();
        assertFalse(reason == null || reason.isBlank());
        assertTrue(d.contains(reason), d);
        DenseOps impl = Kernels.implementation();
        assertSame(impl, Kernels.implementation());
        if (KernelProvider.vectorEnabled()) {
            int bits = KernelProvider.vectorBitSize();
            assertTrue(bits >= 128 && Integer.bitCount(bits) == 1, "vector width " + bits);
            assertTrue(d.startsWith("vector, " + bits + "-bit (" + bits / 32 + " float lanes)"), d);
            assertEquals("vector", impl.name());
            assertTrue(KernelProvider.vectorImplementation(DenseOps.class, VECTOR_CLASS).isPresent());
        } else {
            assertEquals(0, KernelProvider.vectorBitSize());
            assertTrue(d.startsWith("scalar: "), d);
            assertEquals("scalar", impl.name());
        }
        KernelProvider.vectorImplementation(DenseOps.class, VECTOR_CLASS)
                .ifPresent(v -> assertEquals("vector", v.name()));
    }

    @Test
    void withoutTheModuleFallsBackToScalarWithOneWarning() throws Exception {
        Child c = run();
        assertEquals(0, c.exit, c.toString());
        assertTrue(c.out.contains("impl=scalar"), c.toString());
        assertTrue(c.out.contains(EXACT_DOT), c.toString());
        List<String> lines = c.errLines();
        assertEquals(1, lines.size(), "exactly one line on stderr: " + c);
        assertTrue(lines.get(0).startsWith("WARNING"), c.toString());
        assertTrue(lines.get(0).contains("--add-modules jdk.incubator.vector"), c.toString());
    }

    @Test
    void propertyForcesScalarEvenWithTheModule() throws Exception {
        Child c = run("--add-modules", "jdk.incubator.vector", "-D" + KernelProvider.PROPERTY + "=scalar");
        assertEquals(0, c.exit, c.toString());
        assertTrue(c.out.contains("impl=scalar"), c.toString());
        assertTrue(c.out.contains(EXACT_DOT), c.toString());
        assertTrue(c.err.contains("forced by -Donelayer.kernel=scalar"), c.toString());
    }

    @Test
    void bogusValueFailsClearly() throws Exception {
        Child c = run("-D" + KernelProvider.PROPERTY + "=bogus");
        assertNotEquals(0, c.exit, c.toString());
        assertTrue(c.err.contains("-Donelayer.kernel must be auto, vector or scalar, not 'bogus'"), c.toString());
        assertFalse(c.out.contains("dot="), c.toString());
    }

    @Test
    void forcedVectorWithoutTheModuleFailsClearly() throws Exception {
        Child c = run("-D" + KernelProvider.PROPERTY + "=vector");
        assertNotEquals(0, c.exit, c.toString());
        assertTrue(c.err.contains("-Donelayer.kernel=vector, but the Vector API cannot be used"), c.toString());
        assertTrue(c.err.contains("--add-modules jdk.incubator.vector"), c.toString());
    }

    @Test
    void withTheModulePicksVectorWhereThisJvmCanRunIt() throws Exception {
        Child c = run("--add-modules", "jdk.incubator.vector");
        assertEquals(0, c.exit, c.toString());
        assertTrue(c.out.contains(EXACT_DOT), c.toString());
        // This JVM runs with --add-modules (surefire argLine), so its own capability answers for the child.
        boolean capable = KernelProvider.vectorImplementation(DenseOps.class, VECTOR_CLASS).isPresent();
        assertTrue(c.out.contains(capable ? "impl=vector" : "impl=scalar"), c.toString());
        long onelayerLines = c.errLines().stream().filter(l -> l.contains("onelayer")).count();
        assertEquals(1, onelayerLines, "one decision line: " + c);
    }

    private static final class Child {
        final int exit;
        final String out, err;

        Child(int exit, String out, String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }

        List<String> errLines() {
            return Arrays.stream(err.split("\\R")).filter(l -> !l.isBlank()).collect(Collectors.toList());
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs ProviderProbe in a fresh JVM with {@code jvmArgs} and no inherited JVM options. */
    private Child run(String... jvmArgs) throws IOException, InterruptedException, URISyntaxException {
        String java = ProcessHandle.current().info().command()
                .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        String cp = location(KernelProvider.class) + File.pathSeparator + location(ProviderProbe.class);
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(Arrays.asList(jvmArgs));
        cmd.addAll(Arrays.asList("-cp", cp, ProviderProbe.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // Options from the environment would add "Picked up ..." lines and change the decision.
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        Path out = Files.createTempFile(tmp, "out", ".txt"), err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM did not finish in 60 s: " + cmd);
        }
        return new Child(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String location(Class<?> c) throws URISyntaxException {
        return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
