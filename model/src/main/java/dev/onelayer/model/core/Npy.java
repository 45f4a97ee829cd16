package dev.onelayer.model.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes NumPy's {@code .npy} format
 * (<a href="https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html">numpy.lib.format</a>):
 * magic {@code \x93NUMPY}, version, header length (u16 LE in 1.0, u32 LE in 2.0/3.0), a Python
 * dict literal {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }} padded with
 * spaces and a newline, then the raw little-endian data in C order.
 *
 * <p>Supported dtypes: {@code <f4 <f8 <i4 <i8}. Writes version 1.0; reads 1.0, 2.0 and 3.0.
 * Anything else (other dtypes, big-endian, Fortran order, malformed headers, truncated or
 * oversized data) is refused with an {@link NpyFormatException} naming the problem.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;

    private Npy() {
    }

    /** Reads a {@code .npy} file. */
    public static NpyArray read(Path path) throws IOException {
        if (path == null) throw new IllegalArgumentException("Npy.read: path is null");
        return read(Files.readAllBytes(path), path.toString());
    }

    /** Parses {@code .npy} bytes; {@code source} names them in error messages. */
    public static NpyArray read(byte[] bytes, String source) throws NpyFormatException {
        if (bytes == null) throw new IllegalArgumentException("Npy.read: bytes are null");
        if (bytes.length < MAGIC.length + 2) throw new NpyFormatException(source + ": too short for an .npy file (" + bytes.length + " bytes)");
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) throw new NpyFormatException(source + ": not an .npy file (bad magic string)");
        }
        int major = bytes[6] & 0xff, minor = bytes[7] & 0xff;
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int headerStart;
        if (major == 1 && minor == 0) {
            if (bytes.length < 10) throw new NpyFormatException(source + ": truncated header length");
            headerLen = bb.getShort(8) & 0xffff;
            headerStart = 10;
        } else if ((major == 2 || major == 3) && minor == 0) {
            if (bytes.length < 12) throw new NpyFormatException(source + ": truncated header length");
            headerLen = bb.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw new NpyFormatException(source + ": unsupported .npy format version " + major + "." + minor);
        }
        if (headerStart + headerLen > bytes.length) {
            throw new NpyFormatException(source + ": truncated header (needs " + headerLen + " bytes, file has " + (bytes.length - headerStart) + ")");
        }
        String header = new String(bytes, headerStart, (int) headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Header h = parseHeader(header, source);
        long size = 1;
        for (int d : h.shape) size *= d;
        long dataStart = headerStart + headerLen;
        long need = size * h.dtype.bytes();
        long have = bytes.length - dataStart;
        if (have < need) {
            throw new NpyFormatException(source + ": truncated data: shape " + java.util.Arrays.toString(h.shape) + " of " + h.dtype.descr()
                    + " needs " + need + " bytes, file has " + have);
        }
        if (have > need) throw new NpyFormatException(source + ": " + (have - need) + " unexpected bytes after the data");
        bb.position((int) dataStart);
        int n = (int) size;
        switch (h.dtype) {
            case FLOAT32: { float[] a = new float[n]; bb.asFloatBuffer().get(a); return NpyArray.of(a, h.shape); }
            case FLOAT64: { double[] a = new double[n]; bb.asDoubleBuffer().get(a); return NpyArray.of(a, h.shape); }
            case INT32: { int[] a = new int[n]; bb.asIntBuffer().get(a); return NpyArray.of(a, h.shape); }
            default: { long[] a = new long[n]; bb.asLongBuffer().get(a); return NpyArray.of(a, h.shape); }
        }
    }

    /** Writes {@code array} as a version 1.0 {@code .npy} file. */
    public static void write(Path path, NpyArray array) throws IOException {
        if (path == null) throw new IllegalArgumentException("Npy.write: path is null");
        Files.write(path, toBytes(array));
    }

    /** Convenience: writes float32 data of the given shape. */
    public static void write(Path path, float[] data, int... shape) throws IOException {
        write(path, NpyArray.of(data, shape));
    }

    /** The {@code .npy} bytes (version 1.0) of {@code array}. */
    public static byte[] toBytes(NpyArray array) {
        if (array == null) throw new IllegalArgumentException("Npy.toBytes: array is null");
        int[] shape = array.shape();
        StringBuilder s = new StringBuilder("{'descr': '").append(array.dtype().descr()).append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            s.append(shape[i]);
            if (shape.length == 1 || i < shape.length - 1) s.append(shape.length == 1 ? "," : ", ");
        }
        s.append("), }");
        int unpadded = MAGIC.length + 2 + 2 + s.length() + 1;
        int pad = (ALIGN - unpadded % ALIGN) % ALIGN;
        for (int i = 0; i < pad; i++) s.append(' ');
        s.append('\n');
        byte[] header = s.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (header.length > 0xffff) throw new IllegalArgumentException("Npy.toBytes: header of " + header.length + " bytes does not fit version 1.0");
        int n = array.size();
        ByteBuffer bb = ByteBuffer.allocate(MAGIC.length + 4 + header.length + n * array.dtype().bytes()).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length).put(header);
        switch (array.dtype()) {
            case FLOAT32: for (float v : array.floats()) bb.putFloat(v); break;
            case FLOAT64: for (double v : array.doubles()) bb.putDouble(v); break;
            case INT32: for (int v : array.ints()) bb.putInt(v); break;
            default: for (long v : array.longs()) bb.putLong(v); break;
        }
        return bb.array();
    }

    private static final class Header {
        NpyArray.DType dtype;
        int[] shape;
    }

    /** Parses the header dict: exactly the keys descr, fortran_order and shape. */
    private static Header parseHeader(String text, String source) throws NpyFormatException {
        DictParser p = new DictParser(text, source);
        Map<String, Object> dict = p.parseDict();
        for (String k : dict.keySet()) {
            if (!k.equals("descr") && !k.equals("fortran_order") && !k.equals("shape")) {
                throw new NpyFormatException(source + ": unexpected header key '" + k + "'");
            }
        }
        Object descr = dict.get("descr"), fortran = dict.get("fortran_order"), shape = dict.get("shape");
        if (!(descr instanceof String)) throw new NpyFormatException(source + ": header has no string 'descr'");
        if (!(fortran instanceof Boolean)) throw new NpyFormatException(source + ": header has no boolean 'fortran_order'");
        if (!(shape instanceof int[])) throw new NpyFormatException(source + ": header has no tuple 'shape'");
        Header h = new Header();
        h.dtype = NpyArray.DType.ofDescr((String) descr);
        if (h.dtype == null) {
            String d = (String) descr;
            String why = d.startsWith(">") ? "big-endian data is not supported" : "supported dtypes are <f4, <f8, <i4, <i8";
            throw new NpyFormatException(source + ": unsupported dtype '" + d + "' (" + why + ")");
        }
        if ((Boolean) fortran) throw new NpyFormatException(source + ": Fortran-order arrays are not supported (save with C order)");
        h.shape = (int[]) shape;
        try {
            NpyArray.checkedSize(h.shape);
        } catch (IllegalArgumentException e) {
            throw new NpyFormatException(source + ": " + e.getMessage());
        }
        return h;
    }

    /** A tiny parser for the header's Python literal: strings, True/False, tuples of ints. */
    private static final class DictParser {
        private final String s;
        private final String source;
        private int i;

        DictParser(String s, String source) {
            this.s = s;
            this.source = source;
        }

        Map<String, Object> parseDict() throws NpyFormatException {
            Map<String, Object> m = new LinkedHashMap<>();
            skip();
            expect('{');
            skip();
            while (peek() != '}') {
                String key = parseString();
                skip();
                expect(':');
                skip();
                if (m.put(key, parseValue()) != null) throw fail("duplicate key '" + key + "'");
                skip();
                if (peek() == ',') {
                    i++;
                    skip();
                } else if (peek() != '}') {
                    throw fail("expected ',' or '}'");
                }
            }
            i++;
            skip();
            if (i != s.length()) throw fail("unexpected text after the header dict");
            return m;
        }

        private Object parseValue() throws NpyFormatException {
            char c = peek();
            if (c == '\'' || c == '"') return parseString();
            if (c == '(') return parseTuple();
            if (s.startsWith("True", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            throw fail("unsupported header value");
        }

        private int[] parseTuple() throws NpyFormatException {
            expect('(');
            List<Integer> dims = new ArrayList<>();
            skip();
            while (peek() != ')') {
                int start = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
                if (s.startsWith("L", i)) i++; // Python 2 longs
                String num = s.substring(start, i).replace("L", "");
                if (num.isEmpty()) throw fail("shape entries must be non-negative integers");
                try {
                    dims.add(Integer.parseInt(num));
                } catch (NumberFormatException e) {
                    throw fail("shape entry " + num + " is too large");
                }
                skip();
                if (peek() == ',') {
                    i++;
                    skip();
                } else if (peek() != ')') {
                    throw fail("expected ',' or ')' in shape");
                }
            }
            i++;
            int[] out = new int[dims.size()];
            for (int k = 0; k < out.length; k++) out[k] = dims.get(k);
            return out;
        }

        private String parseString() throws NpyFormatException {
            char q = peek();
            if (q != '\'' && q != '"') throw fail("expected a quoted string");
            int end = s.indexOf(q, i + 1);
            if (end < 0) throw fail("unterminated string");
            String out = s.substring(i + 1, end);
            i = end + 1;
            return out;
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        private char peek() throws NpyFormatException {
            if (i >= s.length()) throw fail("header ends early");
            return s.charAt(i);
        }

        private void expect(char c) throws NpyFormatException {
            if (peek() != c) throw fail("expected '" + c + "'");
            i++;
        }

        private NpyFormatException fail(String why) {
            return new NpyFormatException(source + ": malformed .npy header at character " + i + ": " + why + " in " + s.trim());
        }
    }
}
