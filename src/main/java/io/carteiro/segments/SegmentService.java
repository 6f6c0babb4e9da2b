package io.carteiro.segments;

import com.fasterxml.jackson.databind.JsonNode;
import io.carteiro.engagement.EngagementSegments;
import io.carteiro.lists.ListService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Saves segments and counts their members (the engagement feature answers engagement conditions). */
@ApplicationScoped
class SegmentService {

    static final int MAX_NAME = 200;
    private static final Pattern ONE_LINE = Pattern.compile("[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]+");

    /** What a create came to. */
    sealed interface Created permits Saved, Refused {
    }

    record Saved(long id) implements Created {
    }

    /** {@code status} 400 for a malformed request, 422 for one naming a list that does not exist. */
    record Refused(int status, String field, String message) implements Created {
    }

    /** A segment as the API shows it. */
    record View(long id, String name, JsonNode conditions, Instant createdAt) {
    }

    @Inject
    EngagementSegments engagement;

    @Inject
    ListService lists;

    @Inject
    Clock clock;

    @Transactional
    Created create(String name, JsonNode conditions, String actor) {
        if (name == null || name.isBlank()) {
            return new Refused(400, "name", "name is required");
        }
        String text = name.strip();
        if (text.length() > MAX_NAME) {
            return new Refused(400, "name", "name is longer than " + MAX_NAME + " characters");
        }
        if (!ONE_LINE.matcher(text).matches()) {
            return new Refused(400, "name", "name may not hold line breaks or control characters");
        }
        SegmentConditions.Parsed parsed = SegmentConditions.parse(conditions);
        if (parsed instanceof SegmentConditions.Invalid invalid) {
            return new Refused(400, invalid.field(), invalid.message());
        }
        List<EngagementSegments.Condition> valid = ((SegmentConditions.Valid) parsed).conditions();
        for (int i = 0; i < valid.size(); i++) {
            long listId = valid.get(i).listId();
            if (lists.find(listId).isEmpty()) {
                return new Refused(422, "conditions[" + i + "].listId", "no list with id " + listId);
            }
        }
        Segment s = new Segment();
        s.name = text;
        s.conditions = SegmentConditions.write(valid);
        s.createdBy = actor;
        s.createdAt = clock.instant();
        s.updatedAt = s.createdAt;
        s.persist();
        return new Saved(s.id);
    }

    @Transactional
    List<View> all() {
        return Segment.<Segment>listAll(io.quarkus.panache.common.Sort.by("name").and("id")).stream()
                .map(SegmentService::view).toList();
    }

    @Transactional
    Optional<View> find(long id) {
        return Segment.<Segment>findByIdOptional(id).map(SegmentService::view);
    }

    /** How many subscribers are in the segment now; empty when there is no such segment. */
    @Transactional
    Optional<Long> count(long id) {
        return Segment.<Segment>findByIdOptional(id).map(s -> {
            SegmentConditions.Parsed parsed = SegmentConditions.parse(SegmentConditions.read(s.conditions));
            return parsed instanceof SegmentConditions.Valid v ? engagement.count(v.conditions()) : 0L;
        });
    }

    @Transactional
    boolean delete(long id) {
        return Segment.deleteById(id);
    }

    private static View view(Segment s) {
        return new View(s.id, s.name, SegmentConditions.read(s.conditions), s.createdAt);
    }
}
