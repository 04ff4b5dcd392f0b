-- A stream may send from a named pool of [[delivery.egress]] (source addresses and an EHLO name) instead of a
-- source address and EHLO name of its own; NULL: its own, or the default egress.
ALTER TABLE streams ADD COLUMN egress TEXT;
