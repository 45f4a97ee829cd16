package dev.onelayer.model.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Round trips, the NumPy-written fixtures (see resources/npy/make_fixtures.py), and refusals. */
class NpyTest {

    @TempDir
    Path dir;

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = NpyTest.class.getResourceAsStream("/npy/" + name)) {
            assertNotNull(in, "missing fixture " + name);
            return in.readAllBytes();
        }
    }

    static NpyArray readFixture(String name) throws IOException {
        return Npy.read(fixture(name), name);
    }

    @Test
    void roundTripsEveryDtype() throws IOException {
        NpyArray[] arrays = {
                NpyArray.of(new float[]{1.5f, -0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN, 7, 8, 9}, 2, 4),
                NpyArray.of(new double[]{Math.PI, -1e-300}, 2),
                NpyArray.of(new int[]{Integer.MIN_VALUE, 0, Integer.MAX_VALUE}, 3, 1),
                NpyArray.of(new long[]{Long.MIN_VALUE, 1, Long.MAX_VALUE}, 3),
                NpyArray.of(new double[]{2.5}),                 // 0-d scalar
                NpyArray.of(new float[0], 0, 3),
        };
        for (NpyArray a : arrays) {
            Path f = dir.resolve("a.npy");
            Npy.write(f, a);
            byte[] bytes = Files.readAllBytes(f);
            int headerEnd = 10 + ((bytes[8] & 0xff) | (bytes[9] & 0xff) << 8);
            assertEquals(0, headerEnd % 64, "data aligned to 64 bytes");
            NpyArray b = Npy.read(f);
            assertEquals(a.dtype(), b.dtype());
            assertArrayEquals(a.shape(), b.shape());
            assertArrayEquals(bitsOf(a), bitsOf(b), a.toString());
        }
    }

    static long[] bitsOf(NpyArray a) {
        switch (a.dtype()) {
            case FLOAT32: { float[] f = a.floats(); long[] o = new long[f.length]; for (int i = 0; i < f.length; i++) o[i] = Float.floatToRawIntBits(f[i]); return o; }
            case FLOAT64: { double[] f = a.doubles(); long[] o = new long[f.length]; for (int i = 0; i < f.length; i++) o[i] = Double.doubleToRawLongBits(f[i]); return o; }
            case INT32: return Arrays.stream(a.ints()).asLongStream().toArray();
            default: return a.longs().clone();
        }
    }

    @Test
    void readsNumpyWrittenFixtures() throws IOException {
        assertArrayEquals(new float[]{0.5f, -1.25f, 3.0f, 1e-3f, -0.0f}, readFixture("f4_1d.npy").floats());
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(readFixture("f4_1d.npy").floats()[4]));
        assertArrayEquals(new double[]{0.1, -2.5, 1e300, Math.PI}, readFixture("f8_1d.npy").doubles());
        assertArrayEquals(new int[]{0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}, readFixture("i4_1d.npy").ints());
        assertArrayEquals(new long[]{0, -1, 9007199254740993L, Long.MIN_VALUE}, readFixture("i8_1d.npy").longs());
        NpyArray m = readFixture("f4_2x3.npy");
        assertArrayEquals(new int[]{2, 3}, m.shape());
        assertArrayEquals(new float[]{0, 0.25f, 0.5f, 0.75f, 1f, 1.25f}, m.floats());
        NpyArray s = readFixture("f8_scalar.npy");
        assertArrayEquals(new int[0], s.shape());
        assertArrayEquals(new double[]{2.75}, s.doubles());
        NpyArray e = readFixture("f4_empty_0x3.npy");
        assertArrayEquals(new int[]{0, 3}, e.shape());
        assertEquals(0, e.floats().length);
        NpyArray v2 = readFixture("f4_v2_2x2.npy");
        assertArrayEquals(new int[]{2, 2}, v2.shape());
        assertArrayEquals(new float[]{1, 2, 3, 4}, v2.floats());
    }

    @Test
    void readsNumpyWrittenNpz() throws IOException {
        Path f = dir.resolve("arrays.npz");
        Files.write(f, fixture("arrays.npz"));
        Map<String, NpyArray> m = Npz.read(f);
        assertEquals(java.util.Set.of("w", "steps", "p"), m.keySet());
        float[] w = m.get("w").floats();
        assertArrayEquals(new int[]{3, 4}, m.get("w").shape());
        for (int i = 0; i < 12; i++) assertEquals(i - 5.5f, w[i]);
        assertArrayEquals(new long[]{1, 2, 3}, m.get("steps").longs());
        assertArrayEquals(new double[]{0.25, 0.75}, m.get("p").doubles());
    }

    @Test
    void npzRoundTrip() throws IOException {
        Map<String, NpyArray> in = new LinkedHashMap<>();
        in.put("a", NpyArray.of(new float[]{1, 2, 3, 4, 5, 6}, 2, 3));
        in.put("k", NpyArray.of(new int[]{7}, 1));
        Path f = dir.resolve("x.npz");
        Npz.write(f, in);
        Map<String, NpyArray> out = Npz.read(f);
        assertEquals(in.keySet(), out.keySet());
        assertArrayEquals(in.get("a").floats(), out.get("a").floats());
        assertArrayEquals(new int[]{2, 3}, out.get("a").shape());
        assertArrayEquals(new int[]{7}, out.get("k").ints());
    }

    @Test
    void refusesWhatItCannotRepresent() throws IOException {
        assertRefused(fixture("f4_fortran_2x3.npy"), "Fortran");
        assertRefused(fixture("f8_bigendian.npy"), "big-endian");
        assertRefused(fixture("u1_1d.npy"), "unsupported dtype '|u1'");
    }

    @Test
    void refusesMalformedAndTruncatedFiles() throws IOException {
        byte[] good = fixture("f4_2x3.npy");
        assertRefused(Arrays.copyOf(good, good.length - 1), "truncated data");
        byte[] longer = Arrays.copyOf(good, good.length + 4);
        assertRefused(longer, "unexpected bytes");
        assertRefused(Arrays.copyOf(good, 40), "truncated header");
        byte[] badMagic = good.clone();
        badMagic[1] = 'X';
        assertRefused(badMagic, "bad magic");
        byte[] badVersion = good.clone();
        badVersion[6] = 9;
        assertRefused(badVersion, "version 9.0");
        assertRefused(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }"), "shape entries");
        assertRefused(withHeader("{'descr': '<f4', 'fortran_order': False}"), "no tuple 'shape'");
        assertRefused(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1}"), "unsupported header value");
        assertRefused(withHeader("['descr']"), "expected '{'");
    }

    static byte[] withHeader(String dict) {
        byte[] h = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + h.length + 4];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length, 0};
        System.arraycopy(magic, 0, out, 0, 10);
        System.arraycopy(h, 0, out, 10, h.length);
        return out;
    }

    static void assertRefused(byte[] bytes, String expected) {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(bytes, "test.npy"));
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' should contain '" + expected + "'");
        assertTrue(e.getMessage().startsWith("test.npy"), e.getMessage());
    }

    @Test
    void dtypeAccessorsNameTheMismatch() {
        NpyArray a = NpyArray.of(new int[]{1, 2}, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, a::floats);
        assertTrue(e.getMessage().contains("INT32"), e.getMessage());
        assertArrayEquals(new float[]{1, 2}, a.toFloats());
        e = assertThrows(IllegalArgumentException.class, () -> NpyArray.of(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("holds 6"), e.getMessage());
    }
}
