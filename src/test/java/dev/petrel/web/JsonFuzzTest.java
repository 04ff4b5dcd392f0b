package dev.petrel.web;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Jazzer fuzz test of the admin API's JSON bodies, read into each request record the routes read. In package
 * {@code dev.petrel.web} because the records are package-private. {@code bin/test} runs it on its seed inputs
 * (src/test/resources/dev/petrel/web/JsonFuzzTestInputs/); {@code bench/fuzz TARGET SECONDS} fuzzes it. Correct
 * means: a record or a 400 {@link ApiError} with a message fit for a JSON answer, never another exception; what
 * is read writes as JSON that reads back to the same record.
 */
class JsonFuzzTest {

    private static final List<Class<? extends Record>> BODIES = List.of(QueueRoutes.FilterBody.class,
            AccountRoutes.NewDomain.class, AccountRoutes.NewUser.class, AccountRoutes.Quota.class,
            AccountRoutes.NewAlias.class, AccountRoutes.NewKey.class, AccountRoutes.NewToken.class);

    @FuzzTest(maxDuration = "120s")
    void requestBodiesReadIntoTheirRecordsOrAre400(byte[] input) {
        for (Class<? extends Record> type : BODIES) {
            Object body;
            try {
                body = Json.read(input, type);
            } catch (ApiError refused) {
                if (refused.status() != 400 || refused.getMessage() == null) {
                    throw new AssertionError("not a 400 with a message: " + refused.status() + " " + refused.getMessage());
                }
                continue;
            }
            if (body == null) {
                // the routes read the body's fields at once: a null body would be a 500, not a 400
                throw new AssertionError("read as null: " + new String(input, StandardCharsets.UTF_8));
            }
            byte[] written = Json.write(body);
            Object again = Json.read(written, type);
            if (!again.equals(body)) {
                throw new AssertionError(type.getSimpleName() + " changed in a round trip: "
                        + new String(written, StandardCharsets.UTF_8) + " from " + Arrays.toString(input));
            }
        }
    }
}
