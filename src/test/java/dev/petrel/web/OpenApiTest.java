package dev.petrel.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The OpenAPI document served at /v1/openapi.json against the routes that exist. */
class OpenApiTest {

    private final JsonNode doc;
    private final Router router = HttpSurface.router(new HttpSurface.Parts(null, null, null, null, null, () -> "",
            java.util.List::of, java.time.Clock.systemUTC(), line -> {}, null));

    OpenApiTest() throws Exception {
        doc = new ObjectMapper().readTree(SystemRoutes.openApi());
    }

    @Test
    void theDocumentIsOpenApi31() {
        assertEquals("3.1.0", doc.path("openapi").asText());
        assertTrue(doc.path("components").path("securitySchemes").has("adminToken"));
        assertTrue(doc.path("components").path("securitySchemes").has("apiKey"));
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() {
        Set<String> routes = new TreeSet<>();
        router.routes().forEach(r -> routes.add(r.method() + " " + r.template()));
        Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase(Locale.ROOT) + " "
                    + path.getKey()));
        }
        assertEquals(routes, documented);
    }

    @Test
    void everyOperationDeclaresItsPathParametersAndItsAccess() {
        Pattern parameter = Pattern.compile("\\{([a-z_]+)}");
        for (Route r : router.routes()) {
            JsonNode op = doc.path("paths").path(r.template()).path(r.method().toLowerCase(Locale.ROOT));
            Set<String> declared = new TreeSet<>();
            op.path("parameters").forEach(p -> {
                if (p.path("in").asText().equals("path")) {
                    declared.add(p.path("name").asText());
                }
            });
            Set<String> used = new TreeSet<>();
            Matcher m = parameter.matcher(r.template());
            while (m.find()) {
                used.add(m.group(1));
            }
            assertEquals(used, declared, r.method() + " " + r.template());
            boolean open = op.has("security") && op.path("security").isEmpty();
            assertEquals(r.access() == Route.Access.PUBLIC, open, r.method() + " " + r.template() + " security");
            if (r.access() != Route.Access.PUBLIC) {
                assertTrue(op.path("responses").has("401"), r.method() + " " + r.template() + " documents 401");
            }
            assertEquals(schemes(r.access()), declaredSchemes(op), r.method() + " " + r.template() + " security");
        }
    }

    // who may call each access: an admin token, an API key, or either (an admin token acting for default)
    private static Set<String> schemes(Route.Access access) {
        return switch (access) {
            case PUBLIC -> Set.of();
            case ADMIN -> Set.of("adminToken");
            case TENANT -> Set.of("adminToken", "apiKey");
            case SENDER -> Set.of("apiKey");
            case POSTMARK -> Set.of("postmarkServerToken");
        };
    }

    // the operation's own security, else the document's
    private Set<String> declaredSchemes(JsonNode op) {
        Set<String> out = new TreeSet<>();
        (op.has("security") ? op.path("security") : doc.path("security"))
                .forEach(s -> s.fieldNames().forEachRemaining(out::add));
        return out;
    }

    // the Postmark-compatible routes answer errors in Postmark's shape (5xx too), every other route in Petrel's one
    // shape
    @Test
    void everyErrorAnswerRefersToItsRoutesErrorShape() {
        for (Route r : router.routes()) {
            String shape = r.access() == Route.Access.POSTMARK ? "#/components/schemas/PostmarkError"
                    : "#/components/schemas/Error";
            doc.path("paths").path(r.template()).path(r.method().toLowerCase(Locale.ROOT)).path("responses").fields()
                    .forEachRemaining(e -> {
                        boolean postmark = r.access() == Route.Access.POSTMARK;
                        if (e.getKey().startsWith("4") || postmark && e.getKey().startsWith("5")) {
                            assertEquals(shape, e.getValue().path("content").path("application/json")
                                    .path("schema").path("$ref").asText(), r.template() + " " + e.getKey());
                        }
                    });
        }
    }
}
