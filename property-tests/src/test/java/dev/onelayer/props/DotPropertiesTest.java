package dev.onelayer.props;

import dev.onelayer.kernel.DenseOps;
import dev.onelayer.props.harness.Harness;
import dev.onelayer.props.harness.Impls;
import dev.onelayer.props.harness.Tolerance;
import org.junit.jupiter.api.Test;

/** dot against the float64 reference on every implementation; the pattern the other properties follow. */
class DotPropertiesTest {

    @Test
    void dotMatchesFloat64Reference() {
        for (DenseOps ops : Impls.dense()) {
            Harness.forAll("dot/" + ops.name(), g -> new int[] {g.dim(700), g.dim(3), g.dim(3)}, (d, g) -> {
                int n = d[0], xOff = d[1], yOff = d[2];
                float[] x = g.array(n + xOff), y = g.array(n + yOff);
                double ref = 0, abs = 0;
                for (int i = 0; i < n; i++) {
                    ref += (double) x[xOff + i] * y[yOff + i];
                    abs += Math.abs((double) x[xOff + i] * y[yOff + i]);
                }
                float got = ops.dot(n, x, xOff, y, yOff);
                Tolerance.check("dot n=" + n, got, ref, Tolerance.sumBound(n, 0, abs));
                if (Float.floatToRawIntBits(got) != Float.floatToRawIntBits(ops.dot(n, x, xOff, y, yOff))) {
                    throw new AssertionError("dot is not deterministic");
                }
            });
        }
    }
}
