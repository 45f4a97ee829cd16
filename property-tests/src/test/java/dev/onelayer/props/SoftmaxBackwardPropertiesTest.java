package dev.onelayer.props;

import dev.onelayer.kernel.DenseOps;
import dev.onelayer.props.harness.Harness;
import dev.onelayer.props.harness.Impls;
import dev.onelayer.props.harness.Tolerance;
import org.junit.jupiter.api.Test;

/**
 * Row-softmax backward {@code dx_ij = y_ij (dy_ij - D_i)}, {@code D_i = sum_k y_ik dy_ik}, against
 * float64 on every implementation, in place (dx = dy) and not, with padded views. Bound, from the
 * float evaluation both implementations perform:
 *
 * <pre>
 *   D^ = D + delta,  |delta| <= sumBound(cols, 0, A),   A = sum_k |y_ik dy_ik|
 *                    (a length-cols dot: cols roundings on the scalar path; cols/L + log2 L + L
 *                    tail roundings, at most cols, on the vector path)
 *   t^ = fl(dy - D^)                  |t^ - t| <= |delta| + u (|dy| + A + |delta|)
 *   dx^ = fl(y t^)                    |dx^ - dx| <= |y| |t^ - t| + u |y| |t^|
 * </pre>
 *
 * so {@code |err| <= |y| ((1 + 3u) |delta| + 2u (|dy| + A))} up to second-order terms (covered by
 * the 1 + 3u factor).
 */
class SoftmaxBackwardPropertiesTest {

    private static final double U = Tolerance.U;

    @Test
    void softmaxRowsBackwardMatchesFloat64Reference() {
        for (DenseOps ops : Impls.dense()) {
            for (boolean alias : new boolean[] {false, true}) {
                Harness.forAll("softmaxRowsBackward" + (alias ? "InPlace" : "") + "/" + ops.name(),
                        g -> new int[] {g.dim(12), g.dim(300), GemmCase.pad(g), GemmCase.pad(g), GemmCase.pad(g), g.dim(5), g.dim(5), g.dim(5)},
                        (d, g) -> {
                    int rows = d[0], cols = d[1], ldy = cols + d[2], lddy = cols + d[3], yOff = d[5], dyOff = d[6];
                    int lddx = alias ? lddy : cols + d[4], dxOff = alias ? dyOff : d[7];
                    float[] y = Buffers.matrix(g, g.dist(), yOff, rows, cols, ldy, g.dim(3));
                    float[] dy = Buffers.matrix(g, g.dist(), dyOff, rows, cols, lddy, g.dim(3));
                    float[] dx = alias ? dy : Buffers.matrix(g, g.dist(), dxOff, rows, cols, lddx, g.dim(3));
                    float[] yBefore = y.clone(), dyBefore = dy.clone(), dxBefore = dx.clone();
                    ops.softmaxRowsBackward(rows, cols, y, yOff, ldy, dy, dyOff, lddy, dx, dxOff, lddx);
                    String what = "softmaxRowsBackward" + (alias ? " in place" : "") + " rows=" + rows + " cols=" + cols;
                    for (int r = 0; r < rows; r++) {
                        double dsum = 0, abs = 0;
                        for (int k = 0; k < cols; k++) {
                            double p = (double) yBefore[yOff + r * ldy + k] * dyBefore[dyOff + r * lddy + k];
                            dsum += p;
                            abs += Math.abs(p);
                        }
                        double delta = Tolerance.sumBound(cols, 0, abs);
                        for (int j = 0; j < cols; j++) {
                            double yj = yBefore[yOff + r * ldy + j], dyj = dyBefore[dyOff + r * lddy + j];
                            double bound = Math.abs(yj) * ((1 + 3 * U) * delta + 2 * U * (Math.abs(dyj) + abs)) + Tolerance.TINY;
                            Tolerance.check(what + " dx[" + r + "," + j + "]", dx[dxOff + r * lddx + j], yj * (dyj - dsum), bound);
                        }
                    }
                    Buffers.assertOnlyViewChanged(what + " dx", dxBefore, dx, dxOff, rows, cols, lddx);
                    Buffers.assertUnchanged(what + " y", yBefore, y);
                    if (!alias) Buffers.assertUnchanged(what + " dy", dyBefore, dy);
                });
            }
        }
    }
}
