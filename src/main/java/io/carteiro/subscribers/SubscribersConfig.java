package io.carteiro.subscribers;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the subscriber feature. */
@ConfigMapping(prefix = "carteiro.subscribers")
public interface SubscribersConfig {

    /** Subscribers per page in the admin search and the API when the caller does not ask for a size. */
    @WithDefault("50")
    int pageSize();

    /** The largest page the API hands out in one response. */
    @WithDefault("500")
    int maxPageSize();

    /** The largest attributes document accepted for one subscriber, in characters of JSON. */
    @WithDefault("16384")
    int maxAttributesChars();
}
