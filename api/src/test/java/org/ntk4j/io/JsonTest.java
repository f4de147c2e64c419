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
        assertError("[1,\n 2,,3]", "x:2:4: unexpected character ','");
        assertError("{\"a\":1,\"a\":2}", "duplicate key \"a\"");
        assertError("[01]", "leading zero");
        assertError("\"abc", "unexpected end of input");
        assertError("[1] 2", "unexpected text after the value");
        assertError("[tru]", "expected true");
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
