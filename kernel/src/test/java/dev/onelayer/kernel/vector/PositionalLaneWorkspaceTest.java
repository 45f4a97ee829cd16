package dev.onelayer.kernel.vector;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.onelayer.kernel.PositionalAttentionSpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Form 3's workspace holds the lane layout (per-lane dP alone is [T][T][16], sixteen times P) only
 * for the batches that can run with the lanes across sequences, and only when it fits in an array:
 * a single long sequence keeps the sequence-by-sequence workspace, a long T stays a valid spec, and
 * the vector implementation takes the lanes exactly when the workspace holds them.
 */
class PositionalLaneWorkspaceTest {

    /** The sequence-by-sequence workspace of the spec's shape: C, dC, four [T][outerLd] row sets, KV^T, a tile, k^T, v^T. */
    private static long perSequence(int seqLen, int d) {
        long ld = (d * d + 15) / 16 * 16, tp = (seqLen + 15) / 16 * 16, kv = (2L * d * d + 15) / 16 * 16;
        return kv + 4L * seqLen * ld + (long) d * d * tp + 4 * tp + 2L * d * tp + 16;
    }

    @Test
    void oneSequenceDoesNotPayForTheLanes() {
        PositionalAttentionSpec one = new PositionalAttentionSpec(1, 1, 4096, 1, 1);
        assertFalse(one.laneLayout());
        // 4 T outerLd + ... = about 0.3 M floats; with the lane layout it was 16 T^2 = 268 M (1 GiB)
        assertTrue(one.workspaceFloats() == perSequence(4096, 1), "workspace " + one.workspaceFloats());
        PositionalAttentionSpec few = new PositionalAttentionSpec(PositionalAttentionSpec.LANE_MIN_BATCH - 1, 2, 50, 5, 1);
        assertFalse(few.laneLayout());
        assertTrue(few.workspaceFloats() == perSequence(50, 5));
    }

    @Test
    void longSequencesStayValidSpecs() {
        // P (T^2 floats) fits an array up to T = 46 340; the lane layout (16 T^2) only to about 11 585
        PositionalAttentionSpec longOne = new PositionalAttentionSpec(8, 1, 12_000, 1, 1);
        assertFalse(longOne.laneLayout());
        assertTrue(longOne.workspaceFloats() == perSequence(12_000, 1));
    }

    @Test
    void vectorImplementationTakesTheLanesExactlyWhenTheWorkspaceHoldsThem() {
        Assumptions.assumeTrue(VectorPositionalLanes.SUPPORTED && Lanes.L >= 4, "lane layout not used at this vector width");
        PositionalAttentionSpec batch = new PositionalAttentionSpec(32, 2, 50, 5, 1);
        assertTrue(batch.laneLayout());
        assertTrue(batch.workspaceFloats() > perSequence(50, 5));
        assertNotNull(VectorPositionalBands.INSTANCE.batched(batch));
        assertNotNull(VectorPositionalBands.INSTANCE.batched(new PositionalAttentionSpec(16, 1, 20, 10, 1, true)));
        assertNull(VectorPositionalBands.INSTANCE.batched(new PositionalAttentionSpec(1, 1, 4096, 1, 1)));
        assertNull(VectorPositionalBands.INSTANCE.batched(new PositionalAttentionSpec(8, 1, 12_000, 1, 1)));
    }
}
