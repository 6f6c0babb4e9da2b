package io.carteiro.subscribers.imports;

/**
 * What an admin asked for when uploading, as typed (query or form parameters); {@link ImportService} checks it.
 * Blank values mean the default: mode subscribe, delimiter detected, UTF-8, the default column mapping.
 */
record ImportRequest(long listId, String mode, String legalBasis, String delimiter, String charset, String mapping,
                     String fileName, String createdBy) {
}
