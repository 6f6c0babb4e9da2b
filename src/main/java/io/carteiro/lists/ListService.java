package io.carteiro.lists;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Creates, changes and deletes mailing lists. Editing the consent text adds a new version rather than changing the
 * old one; deleting a list first lets the consent log record a removal for every subscriber on it.
 */
@ApplicationScoped
@Transactional
public class ListService {

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    Event<ListDeleting> deleting;

    public List<MailingList> all() {
        return MailingList.list("order by name, id");
    }

    /** The lists whose public sign-up form is switched on, by name: what the page of public lists shows. */
    public List<MailingList> withPublicForm() {
        return MailingList.list("publicForm = true order by name, id");
    }

    /** How many lists there are. */
    public long count() {
        return MailingList.count();
    }

    public Optional<MailingList> find(long id) {
        return MailingList.findByIdOptional(id);
    }

    /** The consent text new subscribers of this list agree to, if it has one. */
    public Optional<ConsentText> currentConsentText(MailingList list) {
        if (list.consentTextVersion == null) {
            return Optional.empty();
        }
        return ConsentText.find("listId = ?1 and version = ?2", list.id, list.consentTextVersion)
                .firstResultOptional();
    }

    public Optional<ConsentText> consentText(long consentTextId) {
        return ConsentText.findByIdOptional(consentTextId);
    }

    public MailingList create(ListDraft draft, String actor) {
        MailingList list = new MailingList();
        Instant now = clock.instant();
        list.createdAt = now;
        apply(list, draft, now);
        list.persist();
        newConsentVersionIfChanged(list, draft.consentText(), actor, now);
        return list;
    }

    public Optional<MailingList> update(long id, ListDraft draft, String actor) {
        Optional<MailingList> found = find(id);
        found.ifPresent(list -> {
            Instant now = clock.instant();
            apply(list, draft, now);
            newConsentVersionIfChanged(list, draft.consentText(), actor, now);
        });
        return found;
    }

    /**
     * Sets the list's sunset rule (checked by the caller, which knows campaigns); empty when there is no such list.
     */
    public Optional<MailingList> setSunset(long id, Sunset sunset) {
        Optional<MailingList> found = find(id);
        found.ifPresent(list -> {
            list.sunsetEnabled = sunset.enabled();
            list.sunsetMonths = sunset.months();
            list.sunsetGraceDays = sunset.graceDays();
            list.sunsetCampaignId = sunset.campaignId();
            list.updatedAt = clock.instant();
        });
        return found;
    }

    /** The lists whose sunset rule is on, by id. */
    public List<MailingList> withSunset() {
        return MailingList.list("sunsetEnabled = true order by id");
    }

    /**
     * Deletes the list; its subscriptions go with it (foreign key cascade), after {@link ListDeleting} observers have
     * recorded what they need. Consent texts stay: they are the evidence for the consent log.
     */
    public boolean delete(long id, String actor) {
        Optional<MailingList> found = find(id);
        if (found.isEmpty()) {
            return false;
        }
        MailingList list = found.get();
        deleting.fire(new ListDeleting(list.id, list.name, actor));
        list.delete();
        em.flush();
        return true;
    }

    private static void apply(MailingList list, ListDraft draft, Instant now) {
        list.name = draft.name().strip();
        list.description = blankToNull(draft.description());
        list.optIn = draft.optIn();
        list.fromEmail = blankToNull(draft.fromEmail());
        list.fromName = blankToNull(draft.fromName());
        list.replyTo = blankToNull(draft.replyTo());
        if (draft.publicForm() != null) {
            list.publicForm = draft.publicForm();
        }
        list.tracking = draft.tracking() == null ? Tracking.AGGREGATE : draft.tracking();
        list.openTracking = Boolean.TRUE.equals(draft.openTracking()) && list.tracking != Tracking.OFF;
        list.updatedAt = now;
    }

    private void newConsentVersionIfChanged(MailingList list, String body, String actor, Instant now) {
        String text = blankToNull(body);
        if (text == null) {
            return;
        }
        Optional<ConsentText> current = currentConsentText(list);
        if (current.isPresent() && Objects.equals(current.get().body, text)) {
            return;
        }
        Integer latest = em.createQuery("select max(c.version) from ConsentText c where c.listId = :list", Integer.class)
                .setParameter("list", list.id).getSingleResult();
        ConsentText version = new ConsentText();
        version.listId = list.id;
        version.version = latest == null ? 1 : latest + 1;
        version.body = text;
        version.createdAt = now;
        version.createdBy = actor;
        version.persist();
        list.consentTextVersion = version.version;
    }

    static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
