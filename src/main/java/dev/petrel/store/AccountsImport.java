package dev.petrel.store;

import dev.petrel.account.Alias;
import dev.petrel.account.DkimKeyEntry;
import dev.petrel.account.DomainEntry;
import dev.petrel.account.User;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;

/**
 * Moves the {@code accounts.json} of an older Petrel into the SQL store, in one transaction, then renames it to
 * {@code accounts.json.imported} (a backup; Petrel no longer reads it). Running it again on the same file
 * changes nothing more: users and domains are replaced by the file's, aliases gain no target twice, keys are
 * stored under their selectors.
 */
final class AccountsImport {

    static final String BACKUP_SUFFIX = ".imported";

    private AccountsImport() {}

    /** Imports the file; false when another process did so first (the file is gone). */
    static boolean run(Database db, Path file, Consumer<String> notices) throws IOException {
        AccountsFile accounts;
        try {
            accounts = AccountsFile.read(file);
        } catch (NoSuchFileException e) {
            return false;
        }
        db.transaction(c -> {
            for (DomainEntry d : accounts.domains()) {
                Database.update(c, "INSERT INTO domains (name, is_local) VALUES (?, ?)"
                        + " ON CONFLICT (name) DO UPDATE SET is_local = excluded.is_local", d.name().name(), d.local());
            }
            for (User u : accounts.users()) {
                SqlUsers.insert(c, u, true);
            }
            for (Alias a : accounts.aliases()) {
                SqlAliases.insert(c, a);
            }
            // in the file's order, as `dkim keygen` stored them, so that its active keys stay the active ones
            for (DkimKeyEntry k : accounts.dkimKeys()) {
                SqlDkimKeys.insert(c, k);
            }
            return null;
        });
        Path backup = file.resolveSibling(file.getFileName() + BACKUP_SUFFIX);
        try {
            Files.move(file, backup, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return false;
        }
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".lock"));
        notices.accept(summary(accounts, file, db, backup));
        return true;
    }

    private static String summary(AccountsFile a, Path file, Database db, Path backup) {
        String into = db.engine() == Engine.SQLITE ? Stores.SQLITE_FILE : "the PostgreSQL store";
        return "imported " + count(a.users().size(), "user") + ", " + count(a.domains().size(), "domain") + ", "
                + count(a.aliases().size(), "alias") + ", " + count(a.dkimKeys().size(), "DKIM key") + " from "
                + file.getFileName() + " into " + into + "; the old file is kept as " + backup.getFileName();
    }

    private static String count(int n, String thing) {
        return n + " " + (n == 1 ? thing : thing.endsWith("s") ? thing + "es" : thing + "s");
    }
}
