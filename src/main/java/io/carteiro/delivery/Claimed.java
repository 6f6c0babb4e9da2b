package io.carteiro.delivery;

/** A claimed row with its rendered content, waiting in its destination's queue. */
record Claimed(OutboundRow row, RenderedMessage content) {
}
