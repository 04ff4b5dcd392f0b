package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code petrel status} against a real server process: healthy, gone, and frozen. */
class StatusTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    @Test
    void aRunningServerReportsItsListenersQueueFeedAndStoreAndIsHealthy() throws Exception {
        PetrelHome home = PetrelHome.create(scratch.newFolder("healthy"));
        try (ServerProcess server = home.start()) {
            Programs.Result r = home.petrel(null, "status");
            assertEquals(0, r.exitCode(), r.describe());
            String out = r.stdout();
            for (String role : new String[] {"mx", "submission", "submissions", "http"}) {
                assertTrue(out.contains("listener 127.0.0.1:" + server.port(role) + " role=" + role + " answers\n"),
                        r.describe());
            }
            assertTrue(out.contains("\nqueue messages=0\n"), r.describe());
            assertTrue(out.matches("(?s).*\nfeed consumer=log lag=\\d+\n.*"), r.describe());
            // the embedded store: this server runs every consumer of the feed with a saved cursor
            assertTrue(out.contains("\nfeed here=consents,log,messages,reputation,suppressions,webhooks\n"),
                    r.describe());
            assertTrue(out.contains("\nstore ok\n"), r.describe());
            assertTrue(out.endsWith("petrel: healthy\n"), r.describe());
        }
    }

    @Test
    void withoutARunningServerStatusIsNotHealthy() throws Exception {
        PetrelHome home = PetrelHome.create(scratch.newFolder("stopped"));
        Programs.Result r = home.petrel(null, "status");
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stdout().startsWith("petrel: not healthy: no server answers on " + home.dataDir()
                .resolve("control.sock")), r.describe());
    }

    @Test
    void aFrozenServerIsNotHealthyAndHealthyAgainWhenItGoesOn() throws Exception {
        PetrelHome home = PetrelHome.create(scratch.newFolder("frozen"));
        try (ServerProcess server = home.start()) {
            server.signal("STOP");
            try {
                Programs.Result r = home.petrel(null, "status");
                assertEquals(1, r.exitCode(), r.describe());
                assertTrue(r.stdout().contains("no answer within 10s"), r.describe());
            } finally {
                server.signal("CONT");
            }
            Programs.Result again = Poll.until(Duration.ofSeconds(60), "status to be healthy again", () -> {
                Programs.Result r = home.petrel(null, "status");
                return r.exitCode() == 0 ? r : null;
            });
            assertTrue(again.stdout().endsWith("petrel: healthy\n"), again.describe());
        }
    }
}
