package dev.petrel.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that stands still until a test moves it: {@code clock.now = clock.now.plus(...)}. */
public final class HandClock extends Clock {

    public volatile Instant now = Instant.parse("2026-11-28T12:00:00Z");

    public void advance(java.time.Duration step) {
        now = now.plus(step);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
