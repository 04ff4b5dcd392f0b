package dev.petrel.mailauth;

import dev.petrel.mail.Domain;
import java.util.List;

/** The keys a domain's mail is signed with now: none, or one per algorithm. */
@FunctionalInterface
public interface DkimKeys {

    DkimKeys NONE = domain -> List.of();

    List<DkimKey> activeFor(Domain domain);
}
