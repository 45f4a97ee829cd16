package dev.onelayer.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * Every facade method rejects bad shapes (negative dimensions, arrays too short, ld smaller than
 * the column count, negative offsets, overlapping output, null) with an
 * {@link IllegalArgumentException} whose message names the kernel and the operand; never an
 * {@link ArrayIndexOutOfBoundsException} or a silently wrong result.
 */
class KernelsBadInputTest {

    /** The call must throw IllegalArgumentException mentioning {@code "kernel:"} and every fragment. */
    private static void rejects(String kernel, Runnable call, String... fragments) {
        try {
            call.run();
        } catch (IllegalArgumentException e) {
            String msg = String.valueOf(e.getMessage());
            assertTrue(msg.startsWith(kernel + ":"), () -> "message does not name " + kernel + ": " + msg);
            for (String f : fragments) assertTrue(msg.contains(f), () -> "message does not mention '" + f + "': " + msg);
            return;
        } catch (RuntimeException e) {
            fail(kernel + ": expected IllegalArgumentException mentioning " + String.join(", ", fragments) + ", got " + e, e);
        }
        fail(kernel + ": accepted bad input (expected an error mentioning " + String.join(", ", fragments) + ")");
    }

    private static float[] f(int n) {
        return new float[n];
    }

    // gemm base case: m=3, n=4, k=5; A 3x5 (lda 5), B 5x4 (ldb 4), C 3x4 (ldc 4).
    @Test
    void gemm() {
        String g = "gemm";
        rejects(g, () -> Kernels.gemm(false, false, -1, 4, 5, 1, f(15), 0, 5, f(20), 0, 4, 0, f(12), 0, 4), "m=-1");
        rejects(g, () -> Kernels.gemm(false, false, 3, -1, 5, 1, f(15), 0, 5, f(20), 0, 4, 0, f(12), 0, 4), "n=-1");
        rejects(g, () -> Kernels.gemm(false, false, 3, 4, -1, 1, f(15), 0, 5, f(20), 0, 4, 0, f(12), 0, 4), "k=-1");
        rejects(g, () -> Kernels.gemm(false, false, 3, 4, 5, 1, f(14), 0, 5, f(20), 0, 4, 0, f(12), 0, 4), "A (m=3, k=5)", "14");
        rejects(g, () -> Kernels.gemm(false, false, 3, 4, 5, 1, f(15), 1, 5, f(20), 0, 4, 0, f(12), 0, 4), "A", "offset=1");
        rejects(g, () -> Kernels.gemm(false, false, 3, 4, 5, 1, f(15), -1, 5, f(20), 0, 4, 0, f(12), 0, 4), "A", "offset -1");
        rejects(g, () -> Kernels.gemm(false, false, 3, 4, 5, 1, f(15), 0, 4, f(20), 0, 4, 0, f(12), 0, 4), "A", "ld=4");
        rejects(g, () -> Kernels.gemm(true, false, 3, 4, 5, 1, f(15), 0, 2, f(20), 0, 4, 0, f(12), 0, 4), "A^T", "ld=2");
        rejects(g, () -> Kernels.gemm(false, false, 3, 4, 5, 1, null, 0, 5, f(20), 0, 4, 0, f(12), 0, 4), "A", "null");
        rejects(g, () -> Kernels.gemm(false, false, 3, 4, 5, 1, f(15), 0, 5, f(19), 0, 4, 0, f(12), 0, 4), "B (k=5, n=4)");
        rejects(g, () -> Kernels.gemm(false, true, 3, 4, 5, 1, f(15), 0, 5, f(20), 0, 4, 0, f(12), 0, 4), "B^T", "ld=4");
        rejects(g, () -> Kernels.gemm(false, false, 3, 4, 5, 1, f(15), 0, 5, null, 0, 4, 0, f(12), 0, 4), "B", "null");
        rejects(g, () -> Kernels.gemm(false, false, 3, 4, 5, 1, f(15), 0, 5, f(20), 0, 4, 0, f(11), 0, 4), "C (m=3, n=4)");
        rejects(g, () -> Kernels.gemm(false, false, 3, 4, 5, 1, f(15), 0, 5, f(20), 0, 4, 0, f(12), 0, 3), "C", "ld=3");
        rejects(g, () -> Kernels.gemm(false, false, 3, 4, 5, 1, f(15), 0, 5, f(20), 0, 4, 0, null, 0, 4), "C", "null");
        float[] shared = f(40);
        rejects(g, () -> Kernels.gemm(false, false, 3, 4, 5, 1, shared, 0, 5, f(20), 0, 4, 0, shared, 10, 4), "output C overlaps input A");
        rejects(g, () -> Kernels.gemm(false, false, 3, 4, 5, 1, f(15), 0, 5, shared, 0, 4, 0, shared, 19, 4), "output C overlaps input B");
        // Disjoint views of one array are fine.
        Kernels.gemm(false, false, 3, 4, 5, 1, shared, 0, 5, f(20), 0, 4, 0, shared, 15, 4);
        rejects(g, () -> Kernels.matmul(3, 4, 5, f(15), f(20), f(11)), "C");
    }

    @Test
    void gemv() {
        String g = "gemv";
        // A 3x4; no transpose: x 4, y 3.
        rejects(g, () -> Kernels.gemv(false, -1, 4, 1, f(12), 0, 4, f(4), 0, 0, f(3), 0), "m=-1");
        rejects(g, () -> Kernels.gemv(false, 3, -1, 1, f(12), 0, 4, f(4), 0, 0, f(3), 0), "n=-1");
        rejects(g, () -> Kernels.gemv(false, 3, 4, 1, f(11), 0, 4, f(4), 0, 0, f(3), 0), "A (m=3, n=4)");
        rejects(g, () -> Kernels.gemv(false, 3, 4, 1, f(12), 0, 3, f(4), 0, 0, f(3), 0), "A", "ld=3");
        rejects(g, () -> Kernels.gemv(false, 3, 4, 1, f(12), 0, 4, f(3), 0, 0, f(3), 0), "x (n=4)");
        rejects(g, () -> Kernels.gemv(false, 3, 4, 1, f(12), 0, 4, f(4), 0, 0, f(2), 0), "y (m=3)");
        rejects(g, () -> Kernels.gemv(true, 3, 4, 1, f(12), 0, 4, f(4), 0, 0, f(3), 0), "y (n=4)");
        rejects(g, () -> Kernels.gemv(false, 3, 4, 1, f(12), 0, 4, null, 0, 0, f(3), 0), "x", "null");
        rejects(g, () -> Kernels.gemv(false, 3, 4, 1, f(12), 0, 4, f(4), 0, 0, null, 0), "y", "null");
        rejects(g, () -> Kernels.gemv(false, 3, 4, 1, f(12), 0, 4, f(4), 2, 0, f(3), 0), "x", "offset 2");
        float[] shared = f(30);
        rejects(g, () -> Kernels.gemv(false, 3, 4, 1, shared, 0, 4, f(4), 0, 0, shared, 11), "output y overlaps input A");
        rejects(g, () -> Kernels.gemv(false, 3, 4, 1, f(12), 0, 4, shared, 0, 0, shared, 3), "output y overlaps input x");
    }

    @Test
    void ger() {
        String g = "ger";
        rejects(g, () -> Kernels.ger(-1, 4, 1, f(3), 0, f(4), 0, f(12), 0, 4), "m=-1");
        rejects(g, () -> Kernels.ger(3, -1, 1, f(3), 0, f(4), 0, f(12), 0, 4), "n=-1");
        rejects(g, () -> Kernels.ger(3, 4, 1, f(2), 0, f(4), 0, f(12), 0, 4), "x (m=3)");
        rejects(g, () -> Kernels.ger(3, 4, 1, f(3), 0, f(3), 0, f(12), 0, 4), "y (n=4)");
        rejects(g, () -> Kernels.ger(3, 4, 1, f(3), 0, f(4), 0, f(11), 0, 4), "A (m=3, n=4)");
        rejects(g, () -> Kernels.ger(3, 4, 1, f(3), 0, f(4), 0, f(12), 0, 3), "A", "ld=3");
        rejects(g, () -> Kernels.ger(3, 4, 1, f(3), 0, f(4), 0, null, 0, 4), "A", "null");
        float[] shared = f(20);
        rejects(g, () -> Kernels.ger(3, 4, 1, shared, 0, f(4), 0, shared, 2, 4), "output A overlaps input x");
        rejects(g, () -> Kernels.ger(3, 4, 1, f(3), 0, shared, 8, shared, 0, 4), "output A overlaps input y");
    }

    @Test
    void syrk() {
        String g = "syrk";
        // n=3, k=5: A 3x5, C 3x3.
        rejects(g, () -> Kernels.syrk(false, -1, 5, 1, f(15), 0, 5, 0, f(9), 0, 3), "n=-1");
        rejects(g, () -> Kernels.syrk(false, 3, -1, 1, f(15), 0, 5, 0, f(9), 0, 3), "k=-1");
        rejects(g, () -> Kernels.syrk(false, 3, 5, 1, f(14), 0, 5, 0, f(9), 0, 3), "A (n=3, k=5)");
        rejects(g, () -> Kernels.syrk(true, 3, 5, 1, f(15), 0, 2, 0, f(9), 0, 3), "A (stored k x n", "ld=2");
        rejects(g, () -> Kernels.syrk(false, 3, 5, 1, f(15), 0, 5, 0, f(8), 0, 3), "C (n=3)");
        rejects(g, () -> Kernels.syrk(false, 3, 5, 1, f(15), 0, 5, 0, f(9), 0, 2), "C", "ld=2");
        rejects(g, () -> Kernels.syrk(false, 3, 5, 1, null, 0, 5, 0, f(9), 0, 3), "A", "null");
        float[] shared = f(30);
        rejects(g, () -> Kernels.syrk(false, 3, 5, 1, shared, 0, 5, 0, shared, 14, 3), "output C overlaps input A");
    }

    @Test
    void level1() {
        rejects("dot", () -> Kernels.dot(-1, f(3), 0, f(3), 0), "n=-1");
        rejects("dot", () -> Kernels.dot(4, f(3), 0, f(4), 0), "x", "4 floats");
        rejects("dot", () -> Kernels.dot(4, f(4), 0, f(4), 1), "y", "offset 1");
        rejects("dot", () -> Kernels.dot(4, null, 0, f(4), 0), "x", "null");
        rejects("dot", () -> Kernels.dot(f(3), f(4)), "x has 3", "y has 4");
        rejects("dot", () -> Kernels.dot(f(3), null), "y", "null");
        rejects("axpy", () -> Kernels.axpy(-1, 1, f(3), 0, f(3), 0), "n=-1");
        rejects("axpy", () -> Kernels.axpy(4, 1, f(3), 0, f(4), 0), "x");
        rejects("axpy", () -> Kernels.axpy(4, 1, f(4), 0, null, 0), "y", "null");
        rejects("axpy", () -> Kernels.axpy(4, 1, f(4), -2, f(4), 0), "x", "offset -2");
        float[] shared = f(8);
        // A partial overlap would make y depend on the vector width (scalar and vector disagree).
        rejects("axpy", () -> Kernels.axpy(4, 1, shared, 0, shared, 2), "output y overlaps input x");
        rejects("axpy", () -> Kernels.axpy(4, 1, shared, 3, shared, 0), "output y overlaps input x");
        Kernels.axpy(4, 1, shared, 2, shared, 2);
        rejects("axpyWide", () -> Kernels.axpyWide(-1, 1, f(3), 0, f(3), 0), "n=-1");
        rejects("axpyWide", () -> Kernels.axpyWide(4, 1, f(3), 0, f(4), 0), "x", "4 floats");
        rejects("axpyWide", () -> Kernels.axpyWide(4, 1, f(4), 0, null, 0), "y", "null");
        rejects("axpyWide", () -> Kernels.axpyWide(4, 1, f(4), 0, f(4), -1), "y", "offset -1");
        // y = x in place is allowed; a shifted view would make y depend on the vector width
        rejects("axpyWide", () -> Kernels.axpyWide(4, 1, shared, 0, shared, 2), "output y overlaps input x");
        Kernels.axpyWide(4, 1, shared, 2, shared, 2);
        rejects("adam", () -> Kernels.adam(-1, f(3), 0, f(3), 0, f(3), 0, f(3), 0, 0.9f, 0.999f, 1e-3f, 1, 1e-8f), "n=-1");
        rejects("adam", () -> Kernels.adam(4, f(4), 0, f(3), 0, f(4), 0, f(4), 0, 0.9f, 0.999f, 1e-3f, 1, 1e-8f), "g", "4 floats");
        rejects("adam", () -> Kernels.adam(4, f(4), 0, f(4), 0, null, 0, f(4), 0, 0.9f, 0.999f, 1e-3f, 1, 1e-8f), "m", "null");
        rejects("adam", () -> Kernels.adam(4, f(4), 0, f(4), 0, f(4), 0, f(4), 1, 0.9f, 0.999f, 1e-3f, 1, 1e-8f), "v", "offset 1");
        rejects("adam", () -> Kernels.adam(4, f(4), 0, f(4), 0, f(4), 0, f(4), 0, Float.NaN, 0.999f, 1e-3f, 1, 1e-8f), "beta1=NaN");
        rejects("adam", () -> Kernels.adam(4, f(4), 0, f(4), 0, f(4), 0, f(4), 0, 0.9f, 1f, 1e-3f, 1, 1e-8f), "beta2=1.0", "[0, 1)");
        rejects("adam", () -> Kernels.adam(4, f(4), 0, f(4), 0, f(4), 0, f(4), 0, -0.1f, 0.999f, 1e-3f, 1, 1e-8f), "beta1=-0.1");
        rejects("adam", () -> Kernels.adam(4, f(4), 0, f(4), 0, f(4), 0, f(4), 0, 0.9f, 0.999f, Float.NaN, 1, 1e-8f), "stepSize=NaN");
        rejects("adam", () -> Kernels.adam(4, f(4), 0, f(4), 0, f(4), 0, f(4), 0, 0.9f, 0.999f, 1e-3f, Float.POSITIVE_INFINITY, 1e-8f), "invSqrtBc2=Infinity");
        rejects("adam", () -> Kernels.adam(4, f(4), 0, f(4), 0, f(4), 0, f(4), 0, 0.9f, 0.999f, 1e-3f, 1, 0f), "eps=0.0", "> 0");
        Kernels.adam(4, f(4), 0, f(4), 0, f(4), 0, f(4), 0, 0f, 0f, -1e-3f, 1, 1e-8f); // beta 0 and an ascent step are valid
        float[] all = f(16);
        rejects("adam", () -> Kernels.adam(4, all, 0, all, 2, f(4), 0, f(4), 0, 0.9f, 0.999f, 1e-3f, 1, 1e-8f), "output w overlaps input g");
        rejects("adam", () -> Kernels.adam(4, f(4), 0, f(4), 0, all, 0, all, 3, 0.9f, 0.999f, 1e-3f, 1, 1e-8f), "output m overlaps input v");
        rejects("adam", () -> Kernels.adam(4, f(4), 0, all, 0, f(4), 0, all, 0, 0.9f, 0.999f, 1e-3f, 1, 1e-8f), "output v overlaps input g");
        Kernels.adam(4, all, 0, all, 4, all, 8, all, 12, 0.9f, 0.999f, 1e-3f, 1, 1e-8f); // disjoint views of one array
        rejects("scale", () -> Kernels.scale(-1, 2, f(3), 0), "n=-1");
        rejects("scale", () -> Kernels.scale(4, 2, f(3), 0), "x");
        rejects("scale", () -> Kernels.scale(1, 2, null, 0), "x", "null");
        rejects("sum", () -> Kernels.sum(4, f(3), 0), "x");
        rejects("sum", () -> Kernels.sum(-1, f(3), 0), "n=-1");
        rejects("asum", () -> Kernels.asum(3, f(3), 1), "x", "offset 1");
        rejects("asum", () -> Kernels.asum(1, null, 0), "x", "null");
        rejects("maxAbs", () -> Kernels.maxAbs(4, f(3), 0), "x");
        rejects("maxAbs", () -> Kernels.maxAbs(-1, f(3), 0), "n=-1");
        rejects("nrm2", () -> Kernels.nrm2(4, f(3), 0), "x");
        rejects("nrm2", () -> Kernels.nrm2(1, null, 0), "x", "null");
    }

    @Test
    void rowSoftmaxes() {
        for (String g : new String[] {"softmaxRows", "logSoftmaxRows"}) {
            boolean log = g.startsWith("log");
            RowOp op = log ? Kernels::logSoftmaxRows : Kernels::softmaxRows;
            rejects(g, () -> op.run(-1, 4, f(12), 0, 4, f(12), 0, 4), "rows=-1");
            rejects(g, () -> op.run(3, -1, f(12), 0, 4, f(12), 0, 4), "cols=-1");
            rejects(g, () -> op.run(3, 4, f(11), 0, 4, f(12), 0, 4), "x (3x4)");
            rejects(g, () -> op.run(3, 4, f(12), 0, 4, f(11), 0, 4), "y (3x4)");
            rejects(g, () -> op.run(3, 4, f(12), 0, 3, f(12), 0, 4), "x", "ld=3");
            rejects(g, () -> op.run(3, 4, f(12), 0, 4, f(12), 0, 2), "y", "ld=2");
            rejects(g, () -> op.run(3, 4, null, 0, 4, f(12), 0, 4), "x", "null");
            rejects(g, () -> op.run(3, 4, f(12), 0, 4, null, 0, 4), "y", "null");
            float[] shared = f(40);
            rejects(g, () -> op.run(3, 4, shared, 0, 4, shared, 5, 4), "output y overlaps input x");
            // In place (same view) is allowed.
            op.run(3, 4, shared, 0, 4, shared, 0, 4);
        }
    }

    @FunctionalInterface
    private interface RowOp {
        void run(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy);
    }

    @Test
    void elementwise() {
        rejects("relu", () -> Kernels.relu(-1, f(3), 0, f(3), 0), "n=-1");
        rejects("relu", () -> Kernels.relu(4, f(3), 0, f(4), 0), "x");
        rejects("relu", () -> Kernels.relu(4, f(4), 0, null, 0), "y", "null");
        rejects("gelu", () -> Kernels.gelu(4, f(4), 0, f(3), 0), "y");
        rejects("gelu", () -> Kernels.gelu(4, null, 0, f(4), 0), "x", "null");
        float[] shared = f(8);
        rejects("relu", () -> Kernels.relu(4, shared, 0, shared, 1), "output y overlaps input x");
        rejects("gelu", () -> Kernels.gelu(4, shared, 2, shared, 0), "output y overlaps input x");
        Kernels.relu(4, shared, 0, shared, 0);

        Binary[] ops = {Kernels::reluBackward, Kernels::geluBackward, Kernels::mul, Kernels::add};
        String[] names = {"reluBackward", "geluBackward", "mul", "add"};
        for (int i = 0; i < ops.length; i++) {
            Binary op = ops[i];
            String g = names[i];
            rejects(g, () -> op.run(-1, f(3), 0, f(3), 0, f(3), 0), "n=-1");
            rejects(g, () -> op.run(4, f(3), 0, f(4), 0, f(4), 0), "first input");
            rejects(g, () -> op.run(4, f(4), 0, f(3), 0, f(4), 0), "second input");
            rejects(g, () -> op.run(4, f(4), 0, f(4), 0, f(3), 0), "output");
            rejects(g, () -> op.run(4, null, 0, f(4), 0, f(4), 0), "first input", "null");
            rejects(g, () -> op.run(4, f(4), 0, f(4), 0, null, 0), "output", "null");
            rejects(g, () -> op.run(4, f(4), 0, f(4), 0, f(4), -1), "output", "offset -1");
            float[] s = f(12);
            rejects(g, () -> op.run(4, s, 0, f(4), 0, s, 1), "output overlaps input first input");
            rejects(g, () -> op.run(4, f(4), 0, s, 4, s, 6), "output overlaps input second input");
            op.run(4, s, 0, s, 4, s, 4);
        }
    }

    @FunctionalInterface
    private interface Binary {
        void run(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff);
    }

    /**
     * Regression: an empty C (n = 0) whose offset is its array's length is valid for the facade;
     * the vector GEMM used to zero "row i" from offset i*ldc and threw
     * ArrayIndexOutOfBoundsException (found by GemmPropertiesTest).
     */
    @Test
    void emptyOutputAtTheEndOfItsArrayIsAccepted() {
        Kernels.gemm(false, false, 2, 0, 3, 1f, f(6), 0, 3, f(0), 0, 1, 0f, f(0), 0, 1);
        Kernels.gemm(false, false, 2, 0, 3, 1f, f(6), 0, 3, f(0), 0, 1, 0.5f, f(0), 0, 1);
        Kernels.gemm(false, true, 0, 3, 2, 1f, f(0), 0, 1, f(6), 0, 2, 0f, f(0), 0, 3);
        Kernels.syrk(false, 0, 4, 1f, f(0), 0, 4, 0f, f(0), 0, 1);
        Kernels.gemv(true, 3, 0, 1f, f(0), 0, 1, f(3), 0, 0f, f(0), 0);
    }

    /**
     * Regression: nrm2 of subnormal values used to scale by 1/max, which overflows to infinity
     * for max below 2^-128 (found by VectorOpsPropertiesTest).
     */
    @Test
    void nrm2OfSubnormalsIsFinite() {
        float tiny = Float.MIN_VALUE * 3;
        float got = Kernels.nrm2(4, new float[] {tiny, -tiny, tiny, 0f}, 0);
        assertEquals((float) (Math.sqrt(3) * tiny), got);
        assertEquals(Float.MIN_VALUE, Kernels.nrm2(1, new float[] {Float.MIN_VALUE}, 0));
        float big = Float.MAX_VALUE / 2;
        assertEquals((float) (Math.sqrt(2) * big), Kernels.nrm2(2, new float[] {big, big}, 0));
    }
}
