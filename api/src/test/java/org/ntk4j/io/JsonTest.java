package org.ntk4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    @DisplayName("parses every kind of value, escapes included")
    void parses() throws MalformedDataException {
        Object v = Json.parse(" {\"a\": [1, -2.5e1, true, false, null], \"s\": \"q\\\"\\\\\\/\\n\\u00e9\\ud83d\\ude00\","
                + " \"o\": {}, \"l\": [], \"big\": 12345678901234567890}\n", "x");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(Arrays.asList(1L, -25.0, true, false, null), m.get("a"));
        assertEquals("q\"\\/\né\uD83D\uDE00", m.get("s"));
        assertEquals(Map.of(), m.get("o"));
        assertEquals(List.of(), m.get("l"));
        assertEquals(1.2345678901234567e19, (Double) m.get("big"), 1e4);
    }

    @Test
    @DisplayName("names line and column of errors")
    void errors() {
        assertError("[1,\n 2,,3]", "x:2:4: unexpected character (','");
        assertError("{\"a\":1,\"a\":2}", "x:1:11: duplicate field 'a'");
        assertError("[01]", "x:1:3: invalid numeric value: Leading zeroes not allowed");
        assertError("\"abc", "x:1:5: unexpected end-of-input");
        assertError("[1] 2", "x:1:5: unexpected text after the value");
        assertError("[tru]", "x:1:2: unrecognized token 'tru'");
        assertError("", "x:1:1: no JSON value");
    }

    @Test
    @DisplayName("nesting 100,000 levels deep is one error, not a stack overflow")
    void deepNesting() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Json.parse(deep, "d.json"));
        assertTrue(e.getMessage().startsWith("d.json:1:" + (Json.MAX_DEPTH + 2) + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("nesting depth"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    @DisplayName("bytes that are not UTF-8 are one error naming the file, line and column")
    void notUtf8(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws java.io.IOException {
        java.nio.file.Path f = tmp.resolve("latin1.json");
        java.nio.file.Files.write(f, "[{\"text\": \"caf\u00e9 cr\u00e8me\", \"class\": 1}]"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Json.parse(f));
        assertTrue(e.getMessage().startsWith(f + ":1:17: invalid UTF-8 middle byte 0x20"), e.getMessage());
        java.nio.file.Files.writeString(f, "\uFEFF{\"a\": [1, 2.5]}");
        assertEquals(Map.of("a", List.of(1L, 2.5)), Json.parse(f));
    }

    @Test
    @DisplayName("writes the indented layout of config.json and summary.json")
    void layout() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", 1);
        m.put("x", 0.1f);
        m.put("l", List.of(1L, Map.of("k", "v")));
        m.put("o", Map.of());
        m.put("inf", Double.POSITIVE_INFINITY);
        assertEquals("{\n  \"a\": 1,\n  \"x\": 0.10000000149011612,\n  \"l\": [1, {\n      \"k\": \"v\"\n    }],\n"
                + "  \"o\": {},\n  \"inf\": null\n}\n", Json.write(m));
    }

    private static void assertError(String json, String expected) {
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Json.parse(json, "x"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    @DisplayName("writes what it reads back")
    void roundTrip() throws MalformedDataException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "a \"b\"\n\tc");
        m.put("n", 3L);
        m.put("x", 0.125);
        m.put("widths", List.of(64L, 128L));
        m.put("nested", Map.of("ok", true));
        m.put("none", null);
        assertEquals(m, Json.parse(Json.write(m), "w"));
        assertEquals("null\n", Json.write(Double.NaN));
    }
}
