package dev.onelayer.model.analysis;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PrincipalAnglesTest {

    /** acos near 1 loses half the digits: |Δθ| ≈ √(2·Δcos), with Δcos a few hundred u. */
    private static final double ANGLE_TOL = Math.sqrt(2 * 1e3 * Math.ulp(1.0));
    private static final double COS_TOL = 1e3 * Math.ulp(1.0);

    @Test
    void planeAgainstTiltedPlane() {
        double theta = 0.7;
        // span{e1, e2} vs span{e1, cos θ e2 + sin θ e3} in R^4 (columns of 4 x 2 matrices).
        double[] a = {1, 0, 0, 1, 0, 0, 0, 0};
        double[] b = {2, 0, 0, Math.cos(theta), 0, Math.sin(theta), 0, 0};
        double[] angles = PrincipalAngles.between(4, 2, a, 2, b);
        assertEquals(2, angles.length);
        assertEquals(0, angles[0], ANGLE_TOL);
        assertEquals(theta, angles[1], ANGLE_TOL);
        double[] cos = PrincipalAngles.cosines(4, 2, a, 2, b);
        assertEquals(1, cos[0], COS_TOL);
        assertEquals(Math.cos(theta), cos[1], COS_TOL);
    }

    @Test
    void sameSpanDifferentBasisAndOrthogonalSpans() {
        Random rnd = new Random(3);
        int rows = 9;
        double[] a = new double[rows * 3];
        for (int i = 0; i < a.length; i++) a[i] = rnd.nextGaussian();
        double[] mix = {1, 2, 0, -1, 0.5, 3, 0.2, 0, 1}; // invertible 3 x 3
        double[] b = new double[rows * 3];
        for (int i = 0; i < rows; i++) for (int j = 0; j < 3; j++) for (int t = 0; t < 3; t++) b[i * 3 + j] += a[i * 3 + t] * mix[t * 3 + j];
        for (double c : PrincipalAngles.cosines(rows, 3, a, 3, b)) assertEquals(1, c, COS_TOL);

        double[] e12 = new double[rows * 2], e34 = new double[rows * 2];
        e12[0] = 1; e12[1 * 2 + 1] = 1;
        e34[2 * 2] = 1; e34[3 * 2 + 1] = 1;
        for (double t : PrincipalAngles.between(rows, 2, e12, 2, e34)) assertEquals(Math.PI / 2, t, COS_TOL);
    }

    @Test
    void rankDeficientInputsGiveRankManyAngles() {
        // A has two equal columns (rank 1 in R^3), B is a plane containing A's direction.
        double[] a = {1, 1, 1, 1, 0, 0};
        double[] b = {1, 0, 1, 1, 0, 5};
        double[] angles = PrincipalAngles.between(3, 2, a, 2, b);
        assertEquals(1, angles.length);
        assertEquals(0, angles[0], ANGLE_TOL);
        assertEquals(0, PrincipalAngles.between(3, 2, new double[6], 2, b).length);
    }

    @Test
    void tinyAnglesKeepTheirRelativeAccuracy() {
        // acos(cos 1e-10) = acos(1) = 0; the sine path recovers the angle itself.
        for (double t : new double[] {1e-10, 1e-6, 0.3}) {
            double[] a = {1, 0, 0};
            double[] b = {Math.cos(t), Math.sin(t), 0};
            double[] angles = PrincipalAngles.between(3, 1, a, 1, b);
            assertEquals(t, angles[0], t * 1e-12 + 4 * Math.ulp(1.0), "t=" + t);
        }
    }

    @Test
    void anglesAgreeWithCosinesForRandomSubspaces() {
        Random rnd = new Random(8);
        int rows = 12;
        for (int trial = 0; trial < 5; trial++) {
            int p = 1 + rnd.nextInt(5), q = 1 + rnd.nextInt(5);
            double[] a = new double[rows * p], b = new double[rows * q];
            for (int i = 0; i < a.length; i++) a[i] = rnd.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = rnd.nextGaussian();
            double[] theta = PrincipalAngles.between(rows, p, a, q, b);
            double[] cos = PrincipalAngles.cosines(rows, p, a, q, b);
            assertEquals(Math.min(p, q), theta.length);
            assertEquals(theta.length, cos.length);
            for (int i = 0; i < theta.length; i++) {
                assertEquals(cos[i], Math.cos(theta[i]), COS_TOL, "trial " + trial + " angle " + i);
                if (i > 0) assertTrue(theta[i] >= theta[i - 1], "ascending");
            }
            assertArrayEquals(theta, PrincipalAngles.between(rows, q, b, p, a), COS_TOL, "symmetric in A and B");
        }
    }

    @Test
    void rejectsMismatchedShapes() {
        assertThrows(IllegalArgumentException.class, () -> PrincipalAngles.between(3, 2, new double[5], 1, new double[3]));
        assertThrows(IllegalArgumentException.class, () -> PrincipalAngles.between(0, 2, new double[0], 1, new double[0]));
    }
}
