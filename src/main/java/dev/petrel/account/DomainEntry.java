package dev.petrel.account;

import dev.petrel.mail.Domain;

/** A domain Petrel knows: local ones receive mail into mailboxes; all may be sent from by their users. */
public record DomainEntry(Domain name, boolean local) {}
