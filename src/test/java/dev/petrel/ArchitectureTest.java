package dev.petrel;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The layering of DESIGN.md ("Packages"): a lower package never imports a higher one. */
class ArchitectureTest {

    private static final String BASE = "dev.petrel.";

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.petrel");

    /** Each package and the packages it may use, as DESIGN.md's table says. */
    private static final Map<String, Set<String>> MAY_USE = new LinkedHashMap<>();

    static {
        // the shared vocabulary uses nothing
        MAY_USE.put("mail", Set.of());
        // events, the protocol, DNS and accounts use the vocabulary only
        MAY_USE.put("event", Set.of("mail"));
        MAY_USE.put("smtp", Set.of("mail"));
        MAY_USE.put("dns", Set.of("mail"));
        MAY_USE.put("account", Set.of("mail"));
        // the stages of the message flow
        MAY_USE.put("mailauth", Set.of("mail", "dns"));
        MAY_USE.put("queue", Set.of("mail", "event"));
        MAY_USE.put("policy", Set.of("mail", "account", "event"));
        MAY_USE.put("intake", Set.of("mail", "queue", "mailauth", "event"));
        MAY_USE.put("bounce", Set.of("mail", "queue", "event"));
        MAY_USE.put("delivery", Set.of("mail", "smtp", "dns", "queue", "bounce", "account", "event"));
        // the edges: listeners and the admin API
        MAY_USE.put("server", Set.of("mail", "smtp", "policy", "intake", "event"));
        MAY_USE.put("admin", Set.of("mail", "queue", "account", "event"));
        // the SQL stores implement the roles of the layers below them
        MAY_USE.put("store", Set.of("mail", "event", "account", "tenant", "compliance", "queue", "webhook"));
    }

    // config and cli may use everything
    private static final Set<String> UNRESTRICTED = Set.of("config", "cli");

    static Stream<Arguments> layers() {
        return MAY_USE.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0} uses only {1}")
    @MethodSource("layers")
    void eachPackageUsesOnlyThePackagesBelowIt(String layer, Set<String> allowed) {
        List<String> forbidden = new ArrayList<>();
        for (String other : allPackages()) {
            if (!other.equals(layer) && !allowed.contains(other)) {
                forbidden.add(BASE + other + "..");
            }
        }
        noClasses().that().resideInAPackage(BASE + layer + "..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                .because("DESIGN.md lets " + layer + " use only " + allowed)
                .allowEmptyShould(true)
                .check(CLASSES);
    }

    private static Set<String> allPackages() {
        Set<String> all = new TreeSet<>(MAY_USE.keySet());
        all.addAll(UNRESTRICTED);
        return all;
    }

    @Test
    void everyPackageIsInTheTable() {
        // a new package must be placed in the layering before it is used
        Set<String> unknown = new TreeSet<>();
        for (JavaClass c : CLASSES) {
            String name = c.getPackageName();
            assertTrue(name.startsWith("dev.petrel"), name);
            String top = name.equals("dev.petrel") ? "" : name.substring(BASE.length()).split("\\.")[0];
            if (!allPackages().contains(top)) {
                unknown.add(name);
            }
        }
        assertEquals(Set.of(), unknown);
    }

    @Test
    void theRulesSeeTheDependenciesThatExist() {
        // guards the rules above against passing on an empty import or a pattern that matches nothing
        assertTrue(CLASSES.contain("dev.petrel.smtp.ServerSession"));
        assertTrue(CLASSES.contain("dev.petrel.queue.JournalQueueStore"));
        assertTrue(CLASSES.contain("dev.petrel.cli.Main"));
        // server does use smtp, so a rule forbidding it must fail
        assertThrows(AssertionError.class, () -> noClasses().that().resideInAPackage(BASE + "server..")
                .should().dependOnClassesThat().resideInAnyPackage(BASE + "smtp..")
                .check(CLASSES));
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
