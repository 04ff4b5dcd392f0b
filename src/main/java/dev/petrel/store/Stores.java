package dev.petrel.store;

import dev.petrel.account.Aliases;
import dev.petrel.account.AdminTokens;
import dev.petrel.account.DkimKeyStore;
import dev.petrel.account.DomainEntry;
import dev.petrel.account.Domains;
import dev.petrel.account.Users;
import dev.petrel.compliance.Consents;
import dev.petrel.compliance.ReputationCounts;
import dev.petrel.delivery.SiteRates;
import dev.petrel.delivery.TlsResults;
import dev.petrel.compliance.Suppressions;
import dev.petrel.mail.Domain;
import dev.petrel.report.SentReports;
import dev.petrel.mail.dmarc.DmarcAggregates;
import dev.petrel.webhook.WebhookStore;
import dev.petrel.event.MessageLog;
import dev.petrel.tenant.ApiKeys;
import dev.petrel.tenant.SendCounts;
import dev.petrel.tenant.SharedRates;
import dev.petrel.tenant.IdempotencyKeys;
import dev.petrel.tenant.Streams;
import dev.petrel.tenant.Tenants;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The stores of one Petrel, opened from the {@code [store] url} of its configuration: {@code "embedded"} for
 * SQLite in {@code data_dir/petrel.db}, or {@code "postgresql://host:port/db?user=..&password=.."}. Opening
 * brings the schema up to date and imports an {@code accounts.json} left by an older Petrel. Every read goes to
 * the database, so a server sees at once what a command changed.
 */
public final class Stores implements AutoCloseable {

    /** The configuration's value for the SQLite file in the data folder. */
    public static final String EMBEDDED = "embedded";

    static final String SQLITE_FILE = "petrel.db";

    private static final String POSTGRESQL = "postgresql://";

    // a writer waits this long for another process's write to finish (SQLITE_BUSY)
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private final Database db;
    private final Users users;
    private final Domains domains;
    private final Aliases aliases;
    private final DkimKeyStore dkimKeys;
    private final AdminTokens adminTokens;
    private final WebhookStore webhooks;
    private final Tenants tenants;
    private final Streams streams;
    private final ApiKeys apiKeys;
    private final SendCounts sendCounts;
    private final IdempotencyKeys idempotencyKeys;
    private final MessageLog messageLog;
    private final Consents consents;
    private final Suppressions suppressions;
    private final ReputationCounts reputationCounts;
    private final TlsResults tlsResults;
    private final SentReports sentReports;
    private final DmarcAggregates dmarcAggregates;

    private Stores(Database db) {
        this.db = db;
        this.users = new SqlUsers(db);
        this.domains = new SqlDomains(db);
        this.aliases = new SqlAliases(db);
        this.dkimKeys = new SqlDkimKeys(db);
        this.adminTokens = new SqlAdminTokens(db);
        this.webhooks = new SqlWebhooks(db);
        this.tenants = new SqlTenants(db);
        this.streams = new SqlStreams(db);
        this.apiKeys = new SqlApiKeys(db);
        this.sendCounts = new SqlSendCounts(db);
        this.idempotencyKeys = new SqlIdempotencyKeys(db);
        this.messageLog = new SqlMessageLog(db);
        this.consents = new SqlConsents(db);
        this.suppressions = new SqlSuppressions(db);
        this.reputationCounts = new SqlReputationCounts(db);
        this.tlsResults = new SqlTlsResults(db);
        this.sentReports = new SqlSentReports(db);
        this.dmarcAggregates = new SqlDmarcAggregates(db);
    }

    /**
     * Opens the stores at {@code url}, creating or migrating the schema.
     *
     * @param seedLocalDomains the local domains a new store starts with (unless an accounts.json is imported)
     * @param notices where a line about an import goes (standard error, a log)
     */
    public static Stores open(String url, Path dataDir, List<Domain> seedLocalDomains, Consumer<String> notices)
            throws IOException {
        Database db = connect(url, dataDir);
        try {
            boolean created = migrate(db);
            Stores stores = new Stores(db);
            Path old = dataDir.resolve(AccountsFile.NAME);
            boolean imported = Files.exists(old) && AccountsImport.run(db, old, notices);
            if (created && !imported) {
                seedLocalDomains.forEach(d -> stores.domains.add(new DomainEntry(d, true)));
            }
            return stores;
        } catch (IOException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** Whether the url names a store Petrel can open; the message of the exception says what is wrong. */
    public static void check(String url) {
        if (!url.equals(EMBEDDED) && !url.startsWith(POSTGRESQL)) {
            throw new IllegalArgumentException("store.url must be \"embedded\" or"
                    + " \"postgresql://host:port/database?user=...&password=...\"");
        }
    }

    static Database connect(String url, Path dataDir) throws IOException {
        check(url);
        if (url.equals(EMBEDDED)) {
            return Database.pooled(Engine.SQLITE, sqlite(dataDir.resolve(SQLITE_FILE)), "petrel-sqlite", 4);
        }
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL("jdbc:" + url);
        return Database.pooled(Engine.POSTGRESQL, source, "petrel-postgresql", 10);
    }

    private static SQLiteDataSource sqlite(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            // it holds password hashes and DKIM private keys: never readable by others, from its first byte;
            // SQLite gives its -wal and -shm files the same mode
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // made by an earlier start
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.enforceForeignKeys(true);
        // a transaction takes the write lock when it begins, so that it never fails half-way for want of it
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        return source;
    }

    // true when the schema was made just now
    private static boolean migrate(Database db) {
        try {
            MigrateResult result = Flyway.configure(Stores.class.getClassLoader()).dataSource(db.dataSource())
                    .locations(db.engine().migrations()).loggers("slf4j").load().migrate();
            return result.initialSchemaVersion == null;
        } catch (FlywayException e) {
            throw new StoreException(db.engine().title() + " store: cannot bring the schema up to date: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The tenants' and streams' rate buckets shared by every server on this store: on PostgreSQL only, where
     * several nodes may share it; empty for the embedded store, whose one server keeps them in memory.
     */
    public Optional<SharedRates> sharedRates() {
        return db.engine() == Engine.POSTGRESQL ? Optional.of(new SqlRateBuckets(db)) : Optional.empty();
    }

    /**
     * The destination sites' message rates shared by every server on this store: on PostgreSQL only; empty for
     * the embedded store, whose one server spaces its messages alone.
     */
    public Optional<SiteRates> siteRates() {
        return db.engine() == Engine.POSTGRESQL ? Optional.of(new SqlRateBuckets(db)) : Optional.empty();
    }

    /**
     * Slots of connections to destination sites, held by this process under a random id for {@code lease} at a
     * time (the holder renews them): on PostgreSQL only; empty for the embedded store, whose one server counts
     * its connections alone.
     */
    public Optional<SqlSiteSlots> siteSlots(Duration lease) {
        if (db.engine() != Engine.POSTGRESQL) {
            return Optional.empty();
        }
        byte[] id = new byte[12];
        new SecureRandom().nextBytes(id);
        return Optional.of(new SqlSiteSlots(db, HexFormat.of().formatHex(id), lease));
    }

    /** The database under these stores, for a copy of every table into another store. */
    Database database() {
        return db;
    }

    public Users users() {
        return users;
    }

    public Domains domains() {
        return domains;
    }

    public Aliases aliases() {
        return aliases;
    }

    public DkimKeyStore dkimKeys() {
        return dkimKeys;
    }

    public AdminTokens adminTokens() {
        return adminTokens;
    }

    public WebhookStore webhooks() {
        return webhooks;
    }

    public Tenants tenants() {
        return tenants;
    }

    public Streams streams() {
        return streams;
    }

    public ApiKeys apiKeys() {
        return apiKeys;
    }

    public SendCounts sendCounts() {
        return sendCounts;
    }

    public IdempotencyKeys idempotencyKeys() {
        return idempotencyKeys;
    }

    public MessageLog messageLog() {
        return messageLog;
    }

    public Consents consents() {
        return consents;
    }

    public Suppressions suppressions() {
        return suppressions;
    }

    public ReputationCounts reputationCounts() {
        return reputationCounts;
    }

    /** The outbound TLS results counted for TLS reports (RFC 8460). */
    public TlsResults tlsResults() {
        return tlsResults;
    }

    /** The daily reports sent. */
    public SentReports sentReports() {
        return sentReports;
    }

    /** The DMARC verdicts of inbound mail, counted per day, and the reports sent of them. */
    public DmarcAggregates dmarcAggregates() {
        return dmarcAggregates;
    }

    @Override
    public void close() {
        db.close();
    }
}
