package io.carteiro.subscribers.imports;

import io.carteiro.subscribers.EmailAddress;

import java.util.Map;

/**
 * A data row that passed validation: its address and the address's key (lower case, computed once), name (null when
 * empty), non-empty attribute values and those values already written as JSON (null when there are none), so the
 * writer thread only binds them.
 */
record ParsedRow(long row, EmailAddress address, String key, String name, Map<String, String> attributes,
                 String attributesJson) {
}
