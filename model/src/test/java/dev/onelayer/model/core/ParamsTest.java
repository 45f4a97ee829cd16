package dev.onelayer.model.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ParamsTest {

    @Test
    void layoutIsBackToBackInDeclarationOrder() {
        Params p = new Params();
        Param w = p.add("W", 3, 4);
        Param b = p.add("b", Params.NO_DECAY, 3);
        assertEquals(0, w.offset());
        assertEquals(12, b.offset());
        assertEquals(15, p.size());
        assertEquals(15, p.grads().length);
        assertSame(b, p.owner(12));
        assertSame(w, p.owner(11));
        assertEquals("W[2,3]", p.label(11));
        assertEquals("b[0]", p.label(12));
        assertEquals(Params.NO_DECAY, b.group());
    }

    @Test
    void initialisersAndViews() {
        Params p = new Params();
        Param eye = p.add("I", 2, 3).identity();
        Param c = p.add("c", 4).fill(2f);
        Param f = p.add("f", 2, 2).from(new float[]{1, 2, 3, 4});
        Param n = p.add("n", 1000).normal(Rng.seeded(1), 3.0);
        assertArrayEquals(new float[]{1, 0, 0, 0, 1, 0}, eye.copyValues());
        assertArrayEquals(new float[]{2, 2, 2, 2}, c.copyValues());
        assertEquals(3f, f.get(1, 0));
        double s2 = 0;
        for (float x : n.copyValues()) s2 += x * x;
        assertEquals(9, s2 / 1000, 5 * 9 * Math.sqrt(2.0 / 1000)); // variance within 5 standard errors
        assertArrayEquals(new float[]{1, 2, 3, 4}, java.util.Arrays.copyOfRange(p.values(), f.offset(), f.offset() + 4));
    }

    @Test
    void shapeProblemsNameTheParameter() {
        Params p = new Params();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.add("W", 3, 0));
        assertTrue(e.getMessage().contains("'W'") && e.getMessage().contains("dimension 1 = 0"), e.getMessage());
        Param w = p.add("W", 2, 2);
        e = assertThrows(IllegalArgumentException.class, () -> w.from(new float[3]));
        assertTrue(e.getMessage().contains("W: source has 3 floats") && e.getMessage().contains("needs 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.add("W", 1));
        assertTrue(e.getMessage().contains("duplicate"), e.getMessage());
        Param v = p.add("v", 5);
        e = assertThrows(IllegalArgumentException.class, v::identity);
        assertTrue(e.getMessage().contains("2-D"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.get("nope"));
        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
    }

    @Test
    void handingOutBuffersFreezesTheLayout() {
        Params p = new Params();
        p.add("a", 2);
        p.values();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.add("b", 2));
        assertTrue(e.getMessage().contains("'b'"), e.getMessage());
    }

    @Test
    void copyAndLayoutCheck() {
        Params p = new Params();
        p.add("a", 2).fill(1f);
        p.add("b", Params.NO_DECAY, 1).fill(3f);
        Params q = p.copy();
        assertArrayEquals(p.values(), q.values());
        Params r = new Params();
        r.add("a", 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.copyValuesFrom(r));
        assertTrue(e.getMessage().contains("1 parameters"), e.getMessage());
    }
}
