package dev.onelayer.model.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class WorkspaceTest {

    @Test
    void sameNameAndSizeReuseTheArray() {
        Workspace ws = new Workspace();
        float[] a = ws.floats("h", 10);
        double[] d = ws.doubles("s", 3);
        assertEquals(2, ws.allocations());
        for (int step = 0; step < 5; step++) {
            assertSame(a, ws.floats("h", 10));
            assertSame(d, ws.doubles("s", 3));
        }
        assertEquals(2, ws.allocations());
        assertNotSame(a, ws.floats("h", 11));
        assertEquals(3, ws.allocations());
        assertSame(ws.floats("h", 11), ws.saved("h"));
        assertThrows(IllegalStateException.class, () -> ws.saved("never"));
        assertThrows(IllegalArgumentException.class, () -> ws.floats("x", -1));
    }
}
