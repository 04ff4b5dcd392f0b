package dev.petrel.cli;

import dev.petrel.account.User;
import dev.petrel.compliance.Consent;
import dev.petrel.compliance.Suppression;
import dev.petrel.compliance.SuppressionExport;
import dev.petrel.config.Units;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.TenantId;
import dev.petrel.tenant.Limits;
import dev.petrel.tenant.Stream;
import dev.petrel.mailauth.DkimAlgorithm;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Typed command-line arguments. A value that does not convert is a validation error: picocli names the
 * argument, and {@link Main} gives it exit status 1 (a missing or unknown argument is a usage error, 2).
 */
final class Arguments {

    private Arguments() {}

    /** A mailbox, {@code local@domain}. */
    static final class AddressArg implements ITypeConverter<Address> {
        @Override
        public Address convert(String text) {
            return converted(text, Address::of);
        }
    }

    static final class DomainArg implements ITypeConverter<Domain> {
        @Override
        public Domain convert(String text) {
            return converted(text, Domain::parse);
        }
    }

    /** A tenant's name, in any case. */
    static final class TenantArg implements ITypeConverter<TenantId> {
        @Override
        public TenantId convert(String text) {
            return converted(text, TenantId::parse);
        }
    }

    /** {@code transactional} or {@code broadcast}. */
    static final class StreamKindArg implements ITypeConverter<Stream.Kind> {
        @Override
        public Stream.Kind convert(String text) {
            return converted(text, Stream.Kind::parse);
        }
    }

    /** {@code manual}, {@code hard_bounce}, {@code unsubscribe} or {@code complaint}. */
    static final class ReasonArg implements ITypeConverter<Suppression.Reason> {
        @Override
        public Suppression.Reason convert(String text) {
            return converted(text, Suppression.Reason::parse);
        }
    }

    /** {@code json} or {@code csv}. */
    static final class ExportFormatArg implements ITypeConverter<SuppressionExport.Format> {
        @Override
        public SuppressionExport.Format convert(String text) {
            return converted(text, SuppressionExport.Format::parse);
        }
    }

    /** A kind of consent: {@code express}, {@code implied-business}, ... */
    static final class ConsentKindArg implements ITypeConverter<Consent.Kind> {
        @Override
        public Consent.Kind convert(String text) {
            return converted(text, Consent.Kind::parse);
        }
    }

    /** A day ({@code 2026-01-15}, its start in UTC) or an instant ({@code 2026-01-15T10:00:00Z}). */
    static final class InstantArg implements ITypeConverter<java.time.Instant> {
        @Override
        public java.time.Instant convert(String text) {
            return converted(text, Consent::parseAt);
        }
    }

    /** A UTC day, as YYYY-MM-DD. */
    static final class DayArg implements ITypeConverter<java.time.LocalDate> {
        @Override
        public java.time.LocalDate convert(String text) {
            return converted(text, t -> {
                try {
                    return java.time.LocalDate.parse(t);
                } catch (java.time.format.DateTimeParseException e) {
                    throw new IllegalArgumentException("expected a day as YYYY-MM-DD");
                }
            });
        }
    }

    /** Messages a second, 0 for no limit. */
    static final class PerSecondArg implements ITypeConverter<Long> {
        @Override
        public Long convert(String text) {
            return converted(text, t -> Limits.checkPerSecond(count(t)));
        }
    }

    /** Messages a day, 0 for no limit. */
    static final class PerDayArg implements ITypeConverter<Long> {
        @Override
        public Long convert(String text) {
            return converted(text, t -> Limits.checkPerDay(count(t)));
        }
    }

    private static long count(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a whole number of messages, 0 for no limit");
        }
    }

    static final class QueueIdArg implements ITypeConverter<QueueId> {
        @Override
        public QueueId convert(String text) {
            return converted(text, QueueId::new);
        }
    }

    /** A mailbox size like {@code 500MiB}, or {@code none} for no limit. */
    static final class QuotaArg implements ITypeConverter<Long> {
        @Override
        public Long convert(String text) {
            return converted(text, t -> t.equalsIgnoreCase("none") ? User.NO_QUOTA : Units.size(t));
        }
    }

    /** {@code rsa} or {@code ed25519}. */
    static final class AlgorithmArg implements ITypeConverter<DkimAlgorithm> {
        @Override
        public DkimAlgorithm convert(String text) {
            return converted(text, DkimAlgorithm::ofKeyType);
        }
    }

    // picocli puts the converter's message after the argument's name: "Invalid value for ... (SIZE): 'x': ..."
    private static <T> T converted(String text, Function<String, T> parse) {
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + text + "': " + e.getMessage());
        }
    }

    /** A value the command found wrong after parsing: exit status 1, with the argument's name. */
    static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Invalid(String argument, String value, IllegalArgumentException cause) {
            super("invalid " + argument + " '" + value + "': " + cause.getMessage(), cause);
        }
    }
}
