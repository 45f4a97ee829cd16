package dev.onelayer.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ARCHITECTURE.md promises the same bits on every JIT tier: a fresh JVM ({@link TierProbe})
 * compares each kernel's output on its first, interpreted call with its output after C2 has
 * compiled it, for the scalar and (where this JVM can run it) the vector implementation.
 */
class JitTierDeterminismTest {

    @Test
    void scalarGivesTheSameBitsColdAndWarm() throws Exception {
        probe("scalar");
    }

    @Test
    void vectorGivesTheSameBitsColdAndWarm() throws Exception {
        if (KernelProvider.vectorImplementation(DenseOps.class, "dev.onelayer.kernel.vector.VectorDenseOps").isEmpty()) return;
        probe("vector");
    }

    private static void probe(String impl) throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        String cp = location(KernelProvider.class) + File.pathSeparator + location(TierProbe.class);
        List<String> cmd = new ArrayList<>(Arrays.asList(java, "--add-modules", "jdk.incubator.vector",
                "-D" + KernelProvider.PROPERTY + "=" + impl, "-D" + KernelProvider.PROPERTY + ".log=false",
                "-cp", cp, TierProbe.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        assertTrue(text.contains("checked 17 kernels on " + impl), text);
        assertTrue(!text.contains("mismatch"), "bits changed between interpreted and compiled code:\n" + text);
    }

    private static String location(Class<?> c) throws Exception {
        return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
