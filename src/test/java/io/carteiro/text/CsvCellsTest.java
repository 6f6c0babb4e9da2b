package io.carteiro.text;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CsvCellsTest {

    @Test
    void cellsThatASpreadsheetWouldRunGetAnApostrophe() {
        assertEquals("'=1+1", CsvCells.neutralise("=1+1"));
        assertEquals("'+1+", CsvCells.neutralise("+1+"));
        assertEquals("'-2+3", CsvCells.neutralise("-2+3"));
        assertEquals("'@SUM(A1)", CsvCells.neutralise("@SUM(A1)"));
        assertEquals("'\tx", CsvCells.neutralise("\tx"));
        assertEquals("'\rx", CsvCells.neutralise("\rx"));
        assertEquals("''=x", CsvCells.neutralise("'=x"));
    }

    @Test
    void plainTextAndNumbersStayAsTheyAre() {
        for (String plain : new String[]{"Ana", "-12.5", "+351", "42", "'quoted", "", "a=b"}) {
            assertEquals(plain, CsvCells.neutralise(plain));
        }
    }

    @Test
    void restoreUndoesNeutraliseForAnyText() {
        Random random = new Random(12);
        String alphabet = "'=+-@\t\r a1.";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder();
            for (int n = random.nextInt(6); n > 0; n--) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String value = s.toString();
            assertEquals(value, CsvCells.restore(CsvCells.neutralise(value)), "'" + value + "'");
        }
    }
}
