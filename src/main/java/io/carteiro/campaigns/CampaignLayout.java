package io.carteiro.campaigns;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A reusable header and footer that campaigns wrap their body in (Qute templates like the body). */
@Entity
@Table(name = "campaign_layout")
class CampaignLayout {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    String name;
    @Column(name = "header_html")
    String headerHtml;
    @Column(name = "footer_html")
    String footerHtml;
    @Column(name = "header_text")
    String headerText;
    @Column(name = "footer_text")
    String footerText;
    @Column(name = "created_at")
    Instant createdAt;
    @Column(name = "updated_at")
    Instant updatedAt;
}
