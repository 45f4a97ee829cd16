package dev.onelayer.cli.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A minimal JSON writer (RFC 8259) for configs and results: objects are insertion-ordered maps,
 * values are {@code null}, strings, booleans, numbers, {@code double[]}/{@code long[]}/{@code int[]},
 * collections and nested maps. Non-finite doubles have no JSON form and are written as
 * {@code null}. Output is pretty-printed with two-space indentation.
 */
public final class Json {

    private Json() {
    }

    /** An empty insertion-ordered object to fill with {@code put}. */
    public static Map<String, Object> object() {
        return new LinkedHashMap<>();
    }

    public static String render(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.append('\n').toString();
    }

    public static void write(Path path, Object value) throws IOException {
        AtomicFiles.writeString(path, render(value));
    }

    private static void write(StringBuilder sb, Object v, int indent) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String) {
            string(sb, (String) v);
        } else if (v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Double || v instanceof Float) {
            number(sb, ((Number) v).doubleValue());
        } else if (v instanceof Number) {
            sb.append(((Number) v).longValue());
        } else if (v instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) v;
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append("{\n");
            Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                pad(sb, indent + 1);
                string(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue(), indent + 1);
                if (it.hasNext()) sb.append(',');
                sb.append('\n');
            }
            pad(sb, indent);
            sb.append('}');
        } else if (v instanceof double[]) {
            double[] a = (double[]) v;
            sb.append('[');
            for (int i = 0; i < a.length; i++) {
                if (i > 0) sb.append(", ");
                number(sb, a[i]);
            }
            sb.append(']');
        } else if (v instanceof long[]) {
            sb.append(java.util.Arrays.toString((long[]) v));
        } else if (v instanceof int[]) {
            sb.append(java.util.Arrays.toString((int[]) v));
        } else if (v instanceof Collection) {
            sb.append('[');
            int i = 0;
            for (Object o : (Collection<?>) v) {
                if (i++ > 0) sb.append(", ");
                write(sb, o, indent);
            }
            sb.append(']');
        } else {
            string(sb, v.toString());
        }
    }

    private static void number(StringBuilder sb, double x) {
        if (!Double.isFinite(x)) sb.append("null");
        else if (x == Math.rint(x) && Math.abs(x) < 1e15) sb.append((long) x);
        else sb.append(x);
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
            }
        }
        sb.append('"');
    }

    private static void pad(StringBuilder sb, int indent) {
        for (int i = 0; i < indent; i++) sb.append("  ");
    }
}
