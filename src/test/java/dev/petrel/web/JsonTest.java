package dev.petrel.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {

    record Thing(String name, List<String> targets, long quota) {}

    private static ApiError refused(String json) {
        return assertThrows(ApiError.class, () -> Json.read(json.getBytes(StandardCharsets.UTF_8), Thing.class));
    }

    @Test
    void snakeCaseFieldsAreReadIntoRecords() {
        Thing t = Json.read("{\"name\":\"a\",\"targets\":[\"x\"],\"quota\":5}".getBytes(StandardCharsets.UTF_8),
                Thing.class);
        assertEquals(new Thing("a", List.of("x"), 5), t);
    }

    @Test
    void anUnknownFieldIsRefusedByName() {
        ApiError e = refused("{\"name\":\"a\", \"quota\": 1,\n\"nmae\":\"b\"}");
        assertEquals(400, e.status());
        assertEquals("unknown_field", e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("\"nmae\"") && e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void brokenJsonSaysWhereItBroke() {
        ApiError e = refused("{\"name\": \"a\",\n  \"targets\": [\"x\" \"y\"]}");
        assertEquals("invalid_json", e.code());
        assertTrue(e.getMessage().contains("line 2, column"), e.getMessage());
    }

    @Test
    void aValueOfTheWrongTypeNamesItsField() {
        ApiError e = refused("{\"quota\": \"lots\"}");
        assertEquals("invalid_json", e.code());
        assertTrue(e.getMessage().contains("at quota"), e.getMessage());
    }

    @Test
    void aMissingNumberIsRequired() {
        ApiError e = refused("{\"name\": \"a\"}");
        assertTrue(e.getMessage().startsWith("a value is required at quota"), e.getMessage());
    }

    @Test
    void anEmptyBodyOrTrailingTextIsRefused() {
        assertEquals("invalid_json", refused("").code());
        assertEquals("invalid_json", refused("{\"name\":\"a\"} {}").code());
    }

    // found by JsonFuzzTest: the document null was read as a null record, and the route's first field access threw
    @Test
    void theDocumentNullIsRefusedLikeAMissingBody() {
        ApiError e = refused(" null ");
        assertEquals(400, e.status());
        assertEquals("invalid_json", e.code());
    }
}
