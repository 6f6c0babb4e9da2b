package io.carteiro;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One owner per table, held by the build where ArchUnit cannot see: SQL text. The owner map is the table "Who owns
 * each table" in {@code docs/architecture.md}, so the page and the code cannot disagree. Every table the migrations
 * create has a row; native SQL and JPQL in a package may write a table only when the package owns it, and read it
 * only when it owns it or the row names it as a reader; entities are changed only in their own package.
 */
class TableOwnershipTest {

    static final Path ARCHITECTURE = Path.of("docs/architecture.md");
    static final Path SOURCES = Path.of("src/main/java");
    static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    static final String BASE = "io.carteiro.";

    /** One row of the map: the packages that may write the table and those that may also read it. */
    record Ownership(String table, Set<String> owners, Set<String> readers) {
    }

    /** A table named in SQL text: which, written or only read, in which package and file, at which line. */
    record Reference(String table, boolean write, String pkg, String file, int line, String sql) {
        @Override
        public String toString() {
            return (write ? "writes " : "reads ") + table + " in " + file + ":" + line + " (" + clip(sql) + ")";
        }
    }

    @Test
    void everyTableTheMigrationsCreateHasExactlyOneRowInTheOwnerMap() {
        Map<String, Ownership> map = ownerMap();
        Set<String> created = createdTables();
        Set<String> missing = new TreeSet<>(created);
        missing.removeAll(map.keySet());
        Set<String> gone = new TreeSet<>(map.keySet());
        gone.removeAll(created);
        assertTrue(missing.isEmpty() && gone.isEmpty(), "docs/architecture.md 'Who owns each table' must list exactly"
                + " the tables the migrations create; without a row: " + missing + ", no such table: " + gone);
        Set<String> shared = map.values().stream().filter(o -> o.owners().size() > 1).map(Ownership::table)
                .collect(Collectors.toSet());
        // app_setting holds one key per feature until the shared secrets class (issue 14.11) takes them over.
        assertTrue(Set.of("app_setting").containsAll(shared), "tables with more than one owner: " + shared);
    }

    @Test
    void sqlWritesATableOnlyInItsOwningPackage() {
        Map<String, Ownership> map = ownerMap();
        List<Reference> wrong = references().stream().filter(Reference::write)
                .filter(r -> !map.get(r.table()).owners().contains(r.pkg())).toList();
        assertTrue(wrong.isEmpty(), "tables written outside their owner (docs/architecture.md):\n"
                + wrong.stream().map(Reference::toString).collect(Collectors.joining("\n")));
    }

    @Test
    void sqlReadsATableOnlyInItsOwnerOrAReaderTheMapNames() {
        Map<String, Ownership> map = ownerMap();
        List<Reference> wrong = references().stream().filter(r -> !r.write())
                .filter(r -> !map.get(r.table()).owners().contains(r.pkg())
                        && !map.get(r.table()).readers().contains(r.pkg())).toList();
        assertTrue(wrong.isEmpty(), "tables read by a package the map does not name (docs/architecture.md):\n"
                + wrong.stream().map(Reference::toString).collect(Collectors.joining("\n")));
    }

    @Test
    void everyReaderTheMapNamesStillReadsTheTable() {
        Set<String> actual = references().stream().map(r -> r.table() + " " + r.pkg()).collect(Collectors.toSet());
        List<String> stale = new ArrayList<>();
        for (Ownership o : ownerMap().values()) {
            for (String reader : o.readers()) {
                if (!actual.contains(o.table() + " " + reader)) {
                    stale.add(reader + " no longer reads " + o.table());
                }
            }
        }
        assertTrue(stale.isEmpty(), "docs/architecture.md names readers that read nothing: " + stale);
    }

    @Test
    void entitiesAreChangedOnlyInTheirOwnPackage() {
        Set<String> changing = Set.of("persist", "persistAndFlush", "delete", "deleteAll", "deleteById", "update");
        for (JavaClass entity : ArchitectureTest.CLASSES) {
            if (!entity.isAnnotatedWith(Entity.class)) {
                continue;
            }
            String pkg = entity.getPackageName();
            noClasses().that().resideOutsideOfPackage(pkg)
                    .should().setFieldWhere(DescribedPredicate.describe("a field of " + entity.getSimpleName(),
                            (JavaFieldAccess access) -> access.getTargetOwner().equals(entity)))
                    .orShould().callMethodWhere(DescribedPredicate.describe("a change of " + entity.getSimpleName(),
                            (JavaMethodCall call) -> call.getTargetOwner().equals(entity)
                                    && changing.contains(call.getName())))
                    .allowEmptyShould(true)
                    .check(ArchitectureTest.CLASSES);
        }
    }

    /** The scanner itself, on the shapes of SQL this code base writes, so the rules above cannot pass vacuously. */
    @Test
    void theScannerFindsTablesInTextBlocksConcatenationsAndJpqlAndNotInOtherWords() {
        String source = """
                package io.carteiro.sample;
                class Sample {
                    // insert into subscriber (a comment is no SQL)
                    String a = \"""
                            insert ignore into subscription (list_id) select id from subscriber s
                            join mailing_list l on l.id = s.id\""";
                    String b = "UPDATE " + "consent_event SET x = 1";
                    String c = "select e from ConsentEvent e";
                    String d = "delete from Subscriber where id = ?1";
                    String e = "insert into suppression (kind) values (?) on duplicate key update subscriber_id = 1";
                    String f = "no subscriber with id " + 5 + "; the subscription ended";
                    char g = '"';
                    String h = "for update";
                    String i = "subscription sub JOIN subscriber s ON s.id = sub.subscriber_id";
                }
                """;
        List<String> found = scan(source, "Sample.java", Map.of("ConsentEvent", "consent_event",
                "Subscriber", "subscriber")).stream()
                .map(r -> (r.write() ? "W " : "R ") + r.table() + " " + r.pkg()).toList();
        assertEquals(List.of("W subscription sample", "R subscriber sample", "R mailing_list sample",
                "W consent_event sample", "R consent_event sample", "W subscriber sample",
                "W suppression sample", "R subscriber sample", "R subscription sample"), found);
    }

    // --- the owner map -------------------------------------------------------------------------------------------

    /**
     * Rows of the markdown table under "## Who owns each table": | `table`, … | `owner`, … | `reader`, … | why |,
     * packages relative to {@code io.carteiro}; a cell without back-quoted names names no package. Table names are
     * compared in lower case.
     */
    static Map<String, Ownership> ownerMap() {
        String page = read(ARCHITECTURE);
        int start = page.indexOf("\n## Who owns each table");
        assertTrue(start >= 0, "docs/architecture.md has no section 'Who owns each table'");
        int end = page.indexOf("\n## ", start + 1);
        Map<String, Ownership> map = new TreeMap<>();
        for (String line : page.substring(start, end < 0 ? page.length() : end).split("\n")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|");
            for (String table : names(cells[1])) {
                String key = table.toLowerCase(Locale.ROOT);
                Ownership row = new Ownership(key, names(cells[2]), names(cells[3]));
                assertTrue(map.put(key, row) == null, "two rows for " + table);
            }
        }
        return map;
    }

    /** The `back-quoted` names of a cell. */
    private static Set<String> names(String cell) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("`([^`]+)`").matcher(cell);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static Set<String> createdTables() {
        Set<String> tables = new TreeSet<>();
        Pattern create = Pattern.compile("(?i)\\bCREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?`?(\\w+)");
        Pattern drop = Pattern.compile("(?i)\\bDROP\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?`?(\\w+)");
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            List<Path> sorted = files.filter(p -> p.toString().endsWith(".sql")).sorted(TableOwnershipTest::byVersion)
                    .toList();
            for (Path file : sorted) {
                String sql = read(file).replaceAll("--[^\n]*", "");
                Matcher d = drop.matcher(sql);
                while (d.find()) {
                    tables.remove(d.group(1).toLowerCase(Locale.ROOT));
                }
                Matcher c = create.matcher(sql);
                while (c.find()) {
                    tables.add(c.group(1).toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tables;
    }

    private static int byVersion(Path a, Path b) {
        return Integer.compare(version(a), version(b));
    }

    private static int version(Path migration) {
        Matcher m = Pattern.compile("^V(\\d+)__").matcher(migration.getFileName().toString());
        return m.find() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
    }

    // --- the scanner ---------------------------------------------------------------------------------------------

    static List<Reference> references() {
        Map<String, String> entities = entityTables();
        List<Reference> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                all.addAll(scan(read(file), SOURCES.relativize(file).toString(), entities));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> known = ownerMap().keySet();
        return all.stream().filter(r -> known.contains(r.table())).toList();
    }

    /** Entity class names (as JPQL names them) to their tables. */
    static Map<String, String> entityTables() {
        Map<String, String> tables = new LinkedHashMap<>();
        for (JavaClass c : ArchitectureTest.CLASSES) {
            if (c.isAnnotatedWith(Entity.class)) {
                String table = c.isAnnotatedWith(Table.class) ? c.getAnnotationOfType(Table.class).name() : "";
                tables.put(c.getSimpleName(), table.isEmpty() ? c.getSimpleName().toLowerCase(Locale.ROOT) : table);
            }
        }
        return tables;
    }

    private static final Pattern WRITE = Pattern.compile("(?i)(?<!KEY )\\b(?:INSERT\\s+(?:IGNORE\\s+)?INTO|"
            + "REPLACE\\s+INTO|UPDATE|DELETE\\s+(?:\\w+(?:\\s*,\\s*\\w+)*\\s+)?FROM|TRUNCATE\\s+(?:TABLE\\s+)?|"
            + "ALTER\\s+TABLE|DROP\\s+TABLE(?:\\s+IF\\s+EXISTS)?)\\s+`?(\\w+)`?");
    private static final Pattern READ = Pattern.compile("(?i)\\b(?:FROM|JOIN)\\s+`?(\\w+)`?");
    /** A table with its alias before a keyword, as in a FROM clause built apart ({@code "subscription sub JOIN"}). */
    private static final Pattern ALIASED = Pattern.compile(
            "(?i)\\b(\\w+)\\s+(?:AS\\s+)?[a-z]\\w{0,4}\\s+(?:JOIN|LEFT|RIGHT|INNER|WHERE|ON|USE|FORCE)\\b");

    /** The tables (and entities, by their tables) that the SQL in one source file names. */
    static List<Reference> scan(String source, String file, Map<String, String> entities) {
        Matcher declared = Pattern.compile("(?m)^package\\s+([\\w.]+);").matcher(source);
        String pkg = declared.find() ? declared.group(1) : "";
        pkg = pkg.startsWith(BASE) ? pkg.substring(BASE.length()) : pkg;
        List<Reference> found = new ArrayList<>();
        for (Literal sql : sqlPieces(source)) {
            String text = sql.text().replaceAll("\\s+", " ");
            List<int[]> writes = new ArrayList<>(); // spans already counted, so no table counts twice
            Matcher w = WRITE.matcher(text);
            while (w.find()) {
                String table = tableOf(w.group(1), entities);
                if (table != null) {
                    found.add(new Reference(table, true, pkg, file, sql.line(), text));
                    writes.add(new int[]{w.start(1), w.end(1)});
                }
            }
            for (Pattern read : List.of(READ, ALIASED)) {
                Matcher r = read.matcher(text);
                while (r.find()) {
                    int at = r.start(1);
                    String table = tableOf(r.group(1), entities);
                    if (table != null && writes.stream().noneMatch(span -> span[0] == at)) {
                        found.add(new Reference(table, false, pkg, file, sql.line(), text));
                        writes.add(new int[]{at, r.end(1)});
                    }
                }
            }
        }
        return found;
    }

    /**
     * The table a word names: an entity's as JPQL writes it (its class name), else the word itself when it is in one
     * case, as SQL writes table names; null for anything else.
     */
    private static String tableOf(String word, Map<String, String> entities) {
        if (entities.containsKey(word)) {
            return entities.get(word);
        }
        String lower = word.toLowerCase(Locale.ROOT);
        return word.equals(lower) || word.equals(word.toUpperCase(Locale.ROOT)) ? lower : null;
    }

    /** A string literal (or several joined by {@code +}) and the line it starts on. */
    record Literal(String text, int line) {
    }

    /**
     * The string literals and text blocks of a Java source, comments and character literals skipped; literals joined
     * by {@code +} (nothing but spaces between) become one piece, as the SQL they spell.
     */
    static List<Literal> sqlPieces(String src) {
        List<Literal> pieces = new ArrayList<>();
        StringBuilder current = null;
        int currentLine = 0;
        int line = 1;
        int lastEnd = -1;
        int i = 0;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (src.startsWith("//", i)) {
                int end = src.indexOf('\n', i);
                i = end < 0 ? src.length() : end;
            } else if (src.startsWith("/*", i)) {
                int end = src.indexOf("*/", i + 2);
                end = end < 0 ? src.length() : end + 2;
                line += count(src, i, end);
                i = end;
            } else if (c == '\'') {
                i = skipQuoted(src, i, '\'');
            } else if (c == '"') {
                boolean block = src.startsWith("\"\"\"", i);
                int end = block ? endOfTextBlock(src, i + 3) : skipQuoted(src, i, '"');
                String text = block ? src.substring(i + 3, end - 3) : src.substring(i + 1, end - 1);
                boolean joined = current != null && src.substring(lastEnd, i).strip().equals("+");
                if (joined) {
                    current.append(text);
                } else {
                    if (current != null) {
                        pieces.add(new Literal(current.toString(), currentLine));
                    }
                    current = new StringBuilder(text);
                    currentLine = line;
                }
                line += count(src, i, end);
                lastEnd = end;
                i = end;
            } else {
                i++;
            }
        }
        if (current != null) {
            pieces.add(new Literal(current.toString(), currentLine));
        }
        return pieces;
    }

    private static int skipQuoted(String src, int start, char quote) {
        int i = start + 1;
        while (i < src.length() && src.charAt(i) != quote) {
            i += src.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i + 1, src.length());
    }

    private static int endOfTextBlock(String src, int from) {
        int i = from;
        while (i < src.length() && !src.startsWith("\"\"\"", i)) {
            i += src.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i + 3, src.length());
    }

    private static int count(String src, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (src.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String clip(String sql) {
        return sql.length() <= 120 ? sql : sql.substring(0, 117) + "...";
    }
}
