package io.carteiro.campaigns;

import java.util.HashMap;
import java.util.Map;

/**
 * What a template may refer to for one recipient: {@code subscriber.email}, {@code subscriber.name},
 * {@code subscriber.attributes.*}, {@code list.name}, {@code unsubscribeUrl}, {@code preferencesUrl},
 * {@code campaign.name}; and, under {@link TrackableLinks#MODEL_NAME}, the message's links (null: links render empty,
 * as when a template is checked).
 */
record MessageModel(String email, String name, Map<String, Object> attributes, long listId, String listName,
                    String campaignName, String unsubscribeUrl, String preferencesUrl, MessageTracking.Links links) {

    Map<String, Object> asData() {
        Map<String, Object> subscriber = new HashMap<>();
        subscriber.put("email", email);
        subscriber.put("name", name);
        subscriber.put("attributes", attributes == null ? Map.of() : attributes);
        Map<String, Object> list = new HashMap<>();
        list.put("id", listId);
        list.put("name", listName);
        Map<String, Object> campaign = new HashMap<>();
        campaign.put("name", campaignName);
        Map<String, Object> data = new HashMap<>();
        data.put("subscriber", subscriber);
        data.put("list", list);
        data.put("campaign", campaign);
        data.put("unsubscribeUrl", unsubscribeUrl);
        data.put("preferencesUrl", preferencesUrl);
        if (links != null) {
            data.put(TrackableLinks.MODEL_NAME, links);
        }
        return data;
    }
}
