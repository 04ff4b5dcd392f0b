-- Limits shared by several nodes on one PostgreSQL (issue 19): what each server kept in memory alone before.
-- Times are microseconds since 1970 UTC (_us) on the database's clock (clock_timestamp()), so that the nodes'
-- clocks never meet: a node's skew changes nothing, only a round trip's delay.

-- Connections to a destination site (a lane: egress and site) as leases of numbered slots: a node takes one
-- (slot below the site's concurrency) before it opens a connection, and frees it when the connection closes;
-- holder is the taking process's random id. A node renews all its slots in one statement every lease/3; a dead
-- node's slots are free again once expires_us has passed.
CREATE TABLE site_slots (
    site       TEXT NOT NULL,
    slot       INTEGER NOT NULL,
    holder     TEXT NOT NULL,
    expires_us BIGINT NOT NULL,
    PRIMARY KEY (site, slot)
);

CREATE INDEX site_slots_holder ON site_slots (holder);

-- A token bucket per tenant (stream '') and per stream with a rate limit: tokens as they were at refilled_us. A
-- node takes them in chunks (petrel_take_tokens), never one message at a time.
CREATE TABLE tenant_rates (
    tenant      TEXT NOT NULL,
    stream      TEXT NOT NULL,
    tokens      DOUBLE PRECISION NOT NULL,
    refilled_us BIGINT NOT NULL,
    PRIMARY KEY (tenant, stream)
);

-- Takes the first free slot of the site (one not held, or whose lease is over) for the holder, for lease_us;
-- NULL when all p_slots are held. One round trip; each slot is taken by one INSERT .. ON CONFLICT DO UPDATE, so
-- two nodes never hold one slot.
CREATE FUNCTION petrel_take_slot(p_site TEXT, p_slots INTEGER, p_holder TEXT, p_lease_us BIGINT) RETURNS INTEGER AS $$
DECLARE
    now_us BIGINT := (extract(epoch FROM clock_timestamp()) * 1000000)::BIGINT;
    n INTEGER;
    got INTEGER;
BEGIN
    FOR n IN 0 .. p_slots - 1 LOOP
        INSERT INTO site_slots AS s (site, slot, holder, expires_us) VALUES (p_site, n, p_holder, now_us + p_lease_us)
            ON CONFLICT (site, slot) DO UPDATE SET holder = excluded.holder, expires_us = excluded.expires_us
            WHERE s.expires_us < now_us
            RETURNING s.slot INTO got;
        IF got IS NOT NULL THEN
            RETURN got;
        END IF;
    END LOOP;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- Refills a bucket that held p_tokens at p_last_us by the time passed since, at p_rate a second up to one second's
-- worth (at least 1), and takes from it: when it holds p_need (or is full, for a need larger than it), at least
-- p_need and up to p_want of what it holds; else none. Answers what was granted, the tokens left (negative while a
-- large request is owed) and the time of the refill (never before p_last_us). The callers below lock the bucket's
-- row around it, so concurrent takers see each other's takes.
CREATE FUNCTION petrel_refill(p_tokens DOUBLE PRECISION, p_last_us BIGINT, p_rate DOUBLE PRECISION,
                              p_need DOUBLE PRECISION, p_want DOUBLE PRECISION, OUT granted DOUBLE PRECISION,
                              OUT remaining DOUBLE PRECISION, OUT refilled_us BIGINT) AS $$
DECLARE
    capacity DOUBLE PRECISION := GREATEST(1, p_rate);
    filled DOUBLE PRECISION;
BEGIN
    refilled_us := GREATEST(p_last_us, (extract(epoch FROM clock_timestamp()) * 1000000)::BIGINT);
    filled := LEAST(capacity, p_tokens + p_rate * (refilled_us - p_last_us) / 1e6);
    IF filled >= LEAST(p_need, capacity) THEN
        granted := GREATEST(p_need, LEAST(p_want, floor(filled)));
    ELSE
        granted := 0;
    END IF;
    remaining := filled - granted;
END
$$ LANGUAGE plpgsql;

-- Takes tokens of a tenant's bucket (p_stream '') or of one of its streams' (see petrel_refill); a new bucket is
-- full.
CREATE FUNCTION petrel_take_tokens(p_tenant TEXT, p_stream TEXT, p_rate DOUBLE PRECISION, p_need DOUBLE PRECISION,
                                   p_want DOUBLE PRECISION, OUT granted DOUBLE PRECISION,
                                   OUT remaining DOUBLE PRECISION) AS $$
DECLARE
    held RECORD;
    taken RECORD;
BEGIN
    INSERT INTO tenant_rates (tenant, stream, tokens, refilled_us)
        VALUES (p_tenant, p_stream, GREATEST(1, p_rate), (extract(epoch FROM clock_timestamp()) * 1000000)::BIGINT)
        ON CONFLICT (tenant, stream) DO NOTHING;
    SELECT r.tokens, r.refilled_us INTO held FROM tenant_rates r
        WHERE r.tenant = p_tenant AND r.stream = p_stream FOR UPDATE;
    SELECT * INTO taken FROM petrel_refill(held.tokens, held.refilled_us, p_rate, p_need, p_want);
    UPDATE tenant_rates SET tokens = taken.remaining, refilled_us = taken.refilled_us
        WHERE tenant = p_tenant AND stream = p_stream;
    granted := taken.granted;
    remaining := taken.remaining;
END
$$ LANGUAGE plpgsql;

-- The message rate of each destination site (lane) where [delivery] site_message_rate is set: a bucket as a
-- tenant's, which nodes take from in chunks (petrel_take_site_tokens).
CREATE TABLE site_rates (
    site        TEXT PRIMARY KEY,
    tokens      DOUBLE PRECISION NOT NULL,
    refilled_us BIGINT NOT NULL
);

CREATE FUNCTION petrel_take_site_tokens(p_site TEXT, p_rate DOUBLE PRECISION, p_need DOUBLE PRECISION,
                                        p_want DOUBLE PRECISION, OUT granted DOUBLE PRECISION,
                                        OUT remaining DOUBLE PRECISION) AS $$
DECLARE
    held RECORD;
    taken RECORD;
BEGIN
    INSERT INTO site_rates (site, tokens, refilled_us)
        VALUES (p_site, GREATEST(1, p_rate), (extract(epoch FROM clock_timestamp()) * 1000000)::BIGINT)
        ON CONFLICT (site) DO NOTHING;
    SELECT r.tokens, r.refilled_us INTO held FROM site_rates r WHERE r.site = p_site FOR UPDATE;
    SELECT * INTO taken FROM petrel_refill(held.tokens, held.refilled_us, p_rate, p_need, p_want);
    UPDATE site_rates SET tokens = taken.remaining, refilled_us = taken.refilled_us WHERE site = p_site;
    granted := taken.granted;
    remaining := taken.remaining;
END
$$ LANGUAGE plpgsql;
