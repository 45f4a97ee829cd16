package dev.onelayer.model.scb;

import dev.onelayer.model.core.Rng;
import dev.onelayer.model.optim.Projections;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The alias sampler's frequencies and Michelot's projection against the sort-based one. */
class SamplingAndProjectionTest {

    @Test
    void aliasTableDrawsTheLaw() {
        double[] p = {0.5, 0, 0.2, 0.05, 0, 0.25};
        AliasTable table = new AliasTable(p, 0, 1, p.length);
        Rng rng = Rng.seeded(12);
        int m = 400_000;
        int[] count = new int[p.length];
        for (int i = 0; i < m; i++) count[table.sample(rng)]++;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == 0) assertEquals(0, count[i], "zero-mass entry " + i + " drawn");
            // binomial: 5 standard deviations
            else assertEquals(p[i], count[i] / (double) m, 5 * Math.sqrt(p[i] * (1 - p[i]) / m), "entry " + i);
        }
    }

    @Test
    void michelotMatchesSortBasedProjection() {
        Rng rng = Rng.seeded(8);
        for (int[] shape : new int[][] {{1, 3}, {7, 5}, {50, 10}, {500, 4}}) {
            int rows = shape[0], cols = shape[1];
            float[] a = new float[rows * cols];
            rng.fillUniform(a, 0, a.length, -0.3, 0.6);
            a[0] = 2f; // one large entry, as in a converged attention column
            float[] b = a.clone();
            SimplexColumns.project(a, rows, cols, new double[rows]);
            Projections.simplexColumns(b, 0, rows, cols, new double[rows]);
            for (int i = 0; i < a.length; i++) {
                // same threshold up to summation order: |tau difference| <= rows 2^-52 (sum of |v| <= rows), then one float rounding
                assertEquals(b[i], a[i], Math.ulp(Math.max(Math.abs(a[i]), 1f)) + rows * 0x1p-50, "entry " + i + " of " + rows + "x" + cols);
            }
        }
    }
}
