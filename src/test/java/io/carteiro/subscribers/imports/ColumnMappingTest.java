package io.carteiro.subscribers.imports;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ColumnMappingTest {

    @Test
    void defaultMappingFindsEmailAndNameInAnyCaseAndMakesTheRestAttributes() {
        ColumnMapping.Columns columns = ColumnMapping.DEFAULT.resolve(List.of("Name", " E-Mail ", "City")).value();
        assertEquals(1, columns.email());
        assertEquals(0, columns.name());
        assertEquals(List.of(new ColumnMapping.Attribute(2, "City")), columns.attributes());
    }

    @Test
    void mappingNamesColumnsAndIgnoresOthers() {
        ColumnMapping mapping = ColumnMapping.parse("email=Contact, name=Full name, ignore=Notes").value();
        ColumnMapping.Columns columns = mapping.resolve(List.of("Full name", "notes", "Contact", "Tier")).value();
        assertEquals(2, columns.email());
        assertEquals(0, columns.name());
        assertEquals(List.of(new ColumnMapping.Attribute(3, "Tier")), columns.attributes());
    }

    @Test
    void mappingTextThatIsNotKeyEqualsColumnIsRefused() {
        assertTrue(ColumnMapping.parse("email").error().contains("is not key=Column"));
        assertTrue(ColumnMapping.parse("email=a,email=b").error().contains("twice"));
        assertTrue(ColumnMapping.parse("phone=Tel").error().contains("mapping key 'phone' is unknown"));
    }

    @Test
    void headerProblemsAreNamed() {
        assertTrue(ColumnMapping.DEFAULT.resolve(List.of("email", "Email")).error().contains("appears twice"));
        assertTrue(ColumnMapping.DEFAULT.resolve(List.of("email", "")).error().contains("column 2 of the header has no name"));
        assertTrue(ColumnMapping.DEFAULT.resolve(List.of("address")).error().contains("no column named email"));
        assertTrue(ColumnMapping.parse("ignore=x").value().resolve(List.of("email")).error()
                .contains("ignores column 'x'"));
    }

    @Test
    void delimiterIsTheCandidateMostFrequentOutsideQuotes() {
        assertEquals(';', CsvFile.detectDelimiter("email;name;\"a,b,c\""));
        assertEquals('\t', CsvFile.detectDelimiter("email\tname\tcity"));
        assertEquals('|', CsvFile.detectDelimiter("email|name"));
        assertEquals(',', CsvFile.detectDelimiter("email"));
    }

    @Test
    void seenAddressesNameTheFirstRowAndSurviveGrowth() {
        SeenAddresses seen = new SeenAddresses();
        for (int row = 1; row <= 200_000; row++) {
            assertEquals(0, seen.firstRowOf("user" + row + "@example.org", row));
        }
        assertEquals(77, seen.firstRowOf("user77@example.org", 200_001));
        assertEquals(199_999, seen.firstRowOf("user199999@example.org", 200_002));
    }
}
