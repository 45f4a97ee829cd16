package dev.onelayer.model.lowrank;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RowNormSplitTest {

    @Test
    void twoLevelsAreSeparatedExactly() {
        double[] norms = {0.01, 3.0, 0.012, 4.0, 3.5, 0.009, 3.9, 4.1};
        RowNormSplit s = RowNormSplit.of(norms);
        assertEquals(3, s.smallCount());
        assertEquals(3 / 8.0, s.smallFraction());
        assertArrayEquals(new boolean[] {true, false, true, false, false, true, false, false}, s.small());
        assertEquals((3.0 + 4 + 3.5 + 3.9 + 4.1) / 5 / ((0.01 + 0.012 + 0.009) / 3), s.meanRatio(), 1e-9);
        assertEquals(0.012 / 3.0, s.gapRatio(), 1e-15);
    }

    @Test
    void rowNormsAndBadInput() {
        assertArrayEquals(new double[] {5, 0}, RowNormSplit.rowNorms(new float[] {9, 3, 4, 0, 0}, 1, 2, 2), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> RowNormSplit.of(new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> RowNormSplit.of(new double[] {1, 0}));
    }
}
