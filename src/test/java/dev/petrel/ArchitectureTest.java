package dev.petrel;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The layering of DESIGN.md ("Packages"): each package uses only the packages its row lists under "may use". A
 * sub-package ({@code delivery.local}, {@code smtp.client}, {@code store.postgres}) counts as its top-level package
 * for the table, and may use its own parents too; it may not use its siblings, and a parent may not use its
 * sub-packages (they build on it). The packages a row lists may be used with their sub-packages.
 */
class ArchitectureTest {

    private static final String BASE = "dev.petrel.";

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.petrel");

    /**
     * DESIGN.md's table of packages, row by row, with its "may use" column: keep the two alike. Rows for packages
     * that have no code yet (tenant, compliance, webhook, web, store) are here so that their first class is held
     * to the table.
     */
    static final Map<String, Set<String>> MAY_USE = new LinkedHashMap<>();

    static {
        MAY_USE.put("mail", Set.of());
        MAY_USE.put("event", Set.of("mail"));
        MAY_USE.put("smtp", Set.of("mail"));
        MAY_USE.put("net", Set.of("mail"));
        MAY_USE.put("dns", Set.of("mail"));
        MAY_USE.put("milter", Set.of("mail"));
        MAY_USE.put("account", Set.of("mail"));
        MAY_USE.put("tenant", Set.of("mail", "account"));
        MAY_USE.put("compliance", Set.of("mail", "tenant", "event"));
        MAY_USE.put("mailauth", Set.of("mail", "dns"));
        MAY_USE.put("queue", Set.of("mail", "event"));
        MAY_USE.put("policy", Set.of("mail", "account", "tenant", "compliance", "event"));
        MAY_USE.put("intake", Set.of("mail", "queue", "mailauth", "compliance", "event"));
        MAY_USE.put("bounce", Set.of("mail", "queue", "event"));
        MAY_USE.put("delivery", Set.of("mail", "smtp", "net", "dns", "queue", "bounce", "account", "event"));
        MAY_USE.put("webhook", Set.of("mail", "event", "tenant"));
        MAY_USE.put("report", Set.of("mail", "dns", "intake", "delivery"));
        MAY_USE.put("server", Set.of("mail", "smtp", "net", "milter", "policy", "intake", "event"));
        MAY_USE.put("web", Set.of("mail", "policy", "intake", "queue", "account", "tenant", "compliance", "event",
                "webhook"));
        MAY_USE.put("store", Set.of("mail", "event", "account", "tenant", "compliance", "queue", "webhook", "delivery",
                "report"));
    }

    // the table's last row: config and cli may use everything (cli alone wires implementations together)
    private static final Set<String> UNRESTRICTED = Set.of("config", "cli");

    static Stream<String> layers() {
        return MAY_USE.keySet().stream();
    }

    @ParameterizedTest(name = "{0} uses only what DESIGN.md lets it")
    @MethodSource("layers")
    void eachPackageUsesOnlyWhatItsRowAllows(String layer) {
        assertEquals(Set.of(), violations(layer, MAY_USE), "DESIGN.md lets " + layer + " use only "
                + MAY_USE.get(layer) + ", its own parents among them");
    }

    /** The dependencies of {@code layer}'s classes (sub-packages included) that {@code table} does not allow. */
    static Set<String> violations(String layer, Map<String, Set<String>> table) {
        Set<String> found = new TreeSet<>();
        for (JavaClass c : CLASSES) {
            String from = relative(c.getPackageName());
            if (!top(from).equals(layer)) {
                continue;
            }
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String target = d.getTargetClass().getBaseComponentType().getPackageName();
                if (target.startsWith(BASE) && !allowed(from, relative(target), table)) {
                    found.add(c.getName() + " -> " + d.getTargetClass().getBaseComponentType().getName());
                }
            }
        }
        return found;
    }

    private static boolean allowed(String from, String to, Map<String, Set<String>> table) {
        if (UNRESTRICTED.contains(top(from)) || from.equals(to) || from.startsWith(to + ".")) {
            return true; // the package itself and its parents
        }
        if (top(from).equals(top(to))) {
            return false; // a sibling, or a parent reaching into its sub-package
        }
        return table.getOrDefault(top(from), Set.of()).contains(top(to));
    }

    private static String relative(String packageName) {
        return packageName.equals("dev.petrel") ? "" : packageName.substring(BASE.length());
    }

    private static String top(String relativePackage) {
        int dot = relativePackage.indexOf('.');
        return dot < 0 ? relativePackage : relativePackage.substring(0, dot);
    }

    @Test
    void everyPackageIsInTheTable() {
        // a new package must be placed in the layering before it is used
        Set<String> unknown = new TreeSet<>();
        for (JavaClass c : CLASSES) {
            String name = c.getPackageName();
            assertTrue(name.startsWith("dev.petrel"), name);
            String top = top(relative(name));
            if (!MAY_USE.containsKey(top) && !UNRESTRICTED.contains(top)) {
                unknown.add(name);
            }
        }
        assertEquals(Set.of(), unknown);
    }

    @Test
    void theRulesSeeTheDependenciesThatExist() {
        // guards the rules above against passing on an empty import or a check that looks at nothing
        assertTrue(CLASSES.contain("dev.petrel.smtp.ServerSession"));
        assertTrue(CLASSES.contain("dev.petrel.delivery.local.LocalDelivery"));
        assertTrue(CLASSES.contain("dev.petrel.cli.Main"));
        // server does use smtp, so a table without that must see it
        Map<String, Set<String>> noSmtp = new HashMap<>(MAY_USE);
        noSmtp.put("server", Set.of("mail", "net", "policy", "intake", "event"));
        assertFalse(violations("server", noSmtp).isEmpty());
        // delivery.local uses smtp.client: the row of delivery allows it through smtp
        Map<String, Set<String>> noSmtpForDelivery = new HashMap<>(MAY_USE);
        noSmtpForDelivery.put("delivery", Set.of("mail", "net", "dns", "queue", "bounce", "account", "event"));
        assertTrue(violations("delivery", noSmtpForDelivery).stream()
                .anyMatch(v -> v.startsWith("dev.petrel.delivery.local.") && v.contains(" -> dev.petrel.smtp.client.")));
    }

    @Test
    void subPackagesUseTheirParentsButNotTheirSiblingsOrChildren() {
        assertTrue(allowed("delivery.local", "delivery", MAY_USE));
        assertTrue(allowed("smtp.client", "smtp", MAY_USE));
        assertTrue(allowed("delivery.local", "smtp.client", MAY_USE));
        assertTrue(allowed("store.postgres", "queue", MAY_USE));
        assertFalse(allowed("delivery.local", "delivery.remote", MAY_USE));
        assertFalse(allowed("delivery", "delivery.local", MAY_USE));
        assertFalse(allowed("smtp.client", "net", MAY_USE));
        assertTrue(allowed("cli", "delivery.remote", MAY_USE));
    }

    @Test
    void noMutableStaticFieldsOutsideCliAndConfig() {
        // STYLE.md: no mutable statics, so that every test can start its own server and tests run in parallel
        fields().that().areStatic()
                .and().areDeclaredInClassesThat().resideOutsideOfPackages(BASE + "cli..", BASE + "config..")
                .should().beFinal()
                .check(CLASSES);
    }

    @Test
    void onlyCliWiresTheFileStoresTogether() {
        // STYLE.md: cli alone wires implementations; others receive interfaces through their constructors
        noClasses().that().resideOutsideOfPackages(BASE + "cli..", BASE + "queue..")
                .should().dependOnClassesThat().haveFullyQualifiedName(BASE + "queue.JournalQueueStore")
                .check(CLASSES);
        // config asks the store package only whether a [store] url is one it can open
        noClasses().that().resideOutsideOfPackages(BASE + "cli..", BASE + "config..", BASE + "store..")
                .should().dependOnClassesThat().resideInAPackage(BASE + "store..")
                .check(CLASSES);
    }
}
