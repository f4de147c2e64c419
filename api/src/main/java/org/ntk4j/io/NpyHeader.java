package org.ntk4j.io;

import java.util.ArrayList;
import java.util.List;

/**
 * The parsed header dictionary of a {@code .npy} file, a Python literal such as
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }}.
 *
 * @param descr the type string
 * @param fortranOrder whether the data is in Fortran (column-major) order
 * @param shape the dimensions
 */
record NpyHeader(String descr, boolean fortranOrder, int[] shape) {

    /**
     * @param text the header text
     * @param source the name used in error messages
     * @return the header
     * @throws MalformedDataException if the text is not a dictionary with the three keys
     */
    static NpyHeader parse(String text, String source) throws MalformedDataException {
        Scanner s = new Scanner(text.strip(), source);
        String descr = null;
        Boolean fortran = null;
        int[] shape = null;
        s.expect('{');
        while (!s.peekIs('}')) {
            String key = s.string();
            s.expect(':');
            switch (key) {
                case "descr" -> descr = s.string();
                case "fortran_order" -> fortran = s.bool();
                case "shape" -> shape = s.tuple();
                default -> throw s.error("unknown header key '" + key + "'");
            }
            if (!s.peekIs('}')) {
                s.expect(',');
            }
        }
        s.expect('}');
        if (descr == null || fortran == null || shape == null) {
            throw s.error("header lacks one of 'descr', 'fortran_order', 'shape'");
        }
        return new NpyHeader(descr, fortran, shape);
    }

    /** A cursor over the header text. */
    private static final class Scanner {
        private final String text;
        private final String source;
        private int pos;

        Scanner(String text, String source) {
            this.text = text;
            this.source = source;
        }

        MalformedDataException error(String problem) {
            return new MalformedDataException(source + ": bad .npy header at character " + pos + ": " + problem
                    + " in " + text);
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        boolean peekIs(char c) {
            skipSpace();
            return pos < text.length() && text.charAt(pos) == c;
        }

        void expect(char c) throws MalformedDataException {
            if (!peekIs(c)) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        String string() throws MalformedDataException {
            skipSpace();
            if (pos >= text.length() || (text.charAt(pos) != '\'' && text.charAt(pos) != '"')) {
                throw error("expected a quoted string");
            }
            char quote = text.charAt(pos++);
            int end = text.indexOf(quote, pos);
            if (end < 0) {
                throw error("unterminated string");
            }
            String v = text.substring(pos, end);
            pos = end + 1;
            return v;
        }

        boolean bool() throws MalformedDataException {
            skipSpace();
            if (text.startsWith("True", pos)) {
                pos += 4;
                return true;
            }
            if (text.startsWith("False", pos)) {
                pos += 5;
                return false;
            }
            throw error("expected True or False");
        }

        int[] tuple() throws MalformedDataException {
            expect('(');
            List<Integer> dims = new ArrayList<>();
            while (!peekIs(')')) {
                int start = pos;
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    pos++;
                }
                if (start == pos) {
                    throw error("expected a dimension");
                }
                if (pos < text.length() && text.charAt(pos) == 'L') {
                    pos++; // Python 2 long literal
                }
                try {
                    dims.add(Integer.parseInt(text.substring(start, pos).replace("L", "")));
                } catch (NumberFormatException e) {
                    throw error("dimension too large");
                }
                if (!peekIs(')')) {
                    expect(',');
                }
            }
            expect(')');
            return dims.stream().mapToInt(Integer::intValue).toArray();
        }
    }
}
