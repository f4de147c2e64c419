package org.ntk4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** A minimal HTTP client for tests (java.base only). */
record Http(int status, String body, String contentType, String allow) {

    static Http send(String method, String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(5000);
        c.setReadTimeout(10000);
        try {
            int status = c.getResponseCode();
            InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
            String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Http(status, body, c.getContentType(), c.getHeaderField("Allow"));
        } finally {
            c.disconnect();
        }
    }

    static Http get(String url) throws IOException {
        return send("GET", url);
    }
}
