package dev.petrel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** curl as the HTTP client of the tests: one request, its status, headers and body. */
final class HttpClientCurl {

    /** An answer: the status, the response headers as curl printed them, and the body. */
    record Response(int status, String headers, String body, Programs.Result run) {
        JsonNode json() throws Exception {
            return new ObjectMapper().readTree(body);
        }

        String describe() {
            return status + "\n" + headers + "\n" + body + "\n" + run.describe();
        }
    }

    private final String curl;
    private final Path dir;
    private final String base;

    HttpClientCurl(Path dir, String base) {
        this.curl = Programs.require("curl", "curl");
        this.dir = dir;
        this.base = base;
    }

    /** A request with an optional bearer token and JSON body; more curl options may follow. */
    Response send(String method, String path, String token, String json, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(curl, "-sS", "-k", "--max-time", "30", "-X", method,
                "-D", "-", "-w", "\n%{http_code}"));
        if (token != null) {
            command.addAll(List.of("-H", "Authorization: Bearer " + token));
        }
        if (json != null) {
            command.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", json));
        }
        command.addAll(List.of(options));
        command.add(base + path);
        Programs.Result r = Programs.run(dir, "curl " + method + " " + path, command, null, Programs.CLIENT_TIMEOUT);
        String out = r.stdout();
        int lastLine = out.lastIndexOf('\n');
        int status = r.exitCode() == 0 ? Integer.parseInt(out.substring(lastLine + 1).strip()) : -1;
        String rest = lastLine < 0 ? "" : out.substring(0, lastLine);
        int split = rest.indexOf("\r\n\r\n");
        String headers = split < 0 ? rest : rest.substring(0, split);
        String body = split < 0 ? "" : rest.substring(split + 4);
        return new Response(status, headers, body, r);
    }

    Response get(String path, String token) throws Exception {
        return send("GET", path, token, null);
    }
}
