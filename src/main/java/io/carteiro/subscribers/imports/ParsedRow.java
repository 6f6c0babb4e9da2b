package io.carteiro.subscribers.imports;

import io.carteiro.subscribers.EmailAddress;

import java.util.Map;

/** A data row that passed validation: its address, name (null when empty) and non-empty attribute values. */
record ParsedRow(long row, EmailAddress address, String name, Map<String, String> attributes) {
}
