package io.carteiro.lists;

/**
 * Fired synchronously, inside the deleting transaction, just before a list and its subscriptions go: features that
 * keep history about the list's subscribers (the consent log) write it down while the rows still exist.
 */
public record ListDeleting(long listId, String listName, String actor) {
}
