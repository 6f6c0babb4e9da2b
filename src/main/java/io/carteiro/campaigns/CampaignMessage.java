package io.carteiro.campaigns;

import io.carteiro.delivery.RenderedMessage;

/**
 * A campaign message for one recipient: the address and the content the engine puts into MIME and signs.
 */
record CampaignMessage(String to, RenderedMessage content) {
}
