-- Requests counted per key (client IP, address, confirmation mail) within a fixed window, for the public subscribe
-- form. In the database so that limits hold across replicas and restarts.
CREATE TABLE public_form_throttle (
    throttle_key   VARCHAR(400) NOT NULL PRIMARY KEY,
    hits           INT          NOT NULL,
    window_started TIMESTAMP(6) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX ix_public_form_throttle_window ON public_form_throttle (window_started);
