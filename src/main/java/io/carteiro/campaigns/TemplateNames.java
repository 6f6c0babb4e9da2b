package io.carteiro.campaigns;

import io.quarkus.qute.Expression;
import io.quarkus.qute.SectionBlock;
import io.quarkus.qute.SectionNode;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The names a campaign template may use, and the check that refuses any other at save time, so that a typo such as
 * {@code {subscriber.nmae}} is not rendered empty for every recipient.
 *
 * <p>Qute's type-safe validation ({@code @CheckedTemplate}, parameter declarations checked by the build) applies to
 * templates known when Carteiro is built; a list owner's campaign is text saved at run time and parsed by a runtime
 * engine, where the build-time validator cannot run. So the check walks the parsed {@link Template}'s own
 * {@link Expression}s (Qute's parse tree, not a regular expression over the text) and compares the first two parts of
 * each with {@link MessageModel}'s known properties, the names a section declares ({@code {#for x in …}},
 * {@code {#let}}) counting as known inside the template.
 */
final class TemplateNames {

    /** Each root name of the model and its properties; an empty set: a value used as it is, or with any property. */
    static final Map<String, Set<String>> MODEL = modelNames();

    /** The names as the compose page lists them, e.g. {@code subscriber.name}. */
    static final List<String> AVAILABLE = List.of("subscriber.email", "subscriber.name", "subscriber.attributes.<name>",
            "list.id", "list.name", "campaign.name", "unsubscribeUrl", "preferencesUrl");

    /** Roots whose properties are open: attributes differ per subscriber; tracked links are written by Carteiro. */
    private static final Set<String> OPEN = Set.of("subscriber.attributes", TrackableLinks.MODEL_NAME);

    private TemplateNames() {
    }

    private static Map<String, Set<String>> modelNames() {
        Map<String, Set<String>> names = new LinkedHashMap<>();
        names.put("subscriber", Set.of("email", "name", "attributes"));
        names.put("list", Set.of("id", "name"));
        names.put("campaign", Set.of("name"));
        names.put("unsubscribeUrl", Set.of());
        names.put("preferencesUrl", Set.of());
        names.put(TrackableLinks.MODEL_NAME, Set.of());
        return names;
    }

    /** The first unknown name in the template (in source order), as a template error of {@code part}. */
    static Optional<TemplateError> firstUnknown(String part, Template template) {
        Set<String> declared = new HashSet<>();
        boolean opaqueScope = false;
        for (TemplateNode node : template.findNodes(TemplateNode::isSection)) {
            SectionNode section = node.asSection();
            for (SectionBlock block : section.getBlocks()) {
                switch (section.getName()) {
                    case "for", "each" -> {
                        String alias = block.parameters.getOrDefault("alias", "it");
                        declared.add(alias);
                    }
                    case "let", "set" -> block.parameters.keySet().forEach(k -> declared.add(k.replace("?", "")));
                    case "with" -> opaqueScope = true; // its object's properties are bare names: cannot be told
                    default -> {
                    }
                }
            }
        }
        if (opaqueScope) {
            return Optional.empty();
        }
        List<Expression> all = new ArrayList<>();
        for (Expression e : template.getExpressions()) {
            collect(e, all);
        }
        return all.stream()
                .filter(e -> unknown(e, declared) != null)
                .min(Comparator.comparingInt((Expression e) -> e.getOrigin().getLine())
                        .thenComparingInt(e -> e.getOrigin().getLineCharacterStart()))
                .map(e -> new TemplateError(part, unknown(e, declared), e.getOrigin().getLine(),
                        Math.max(1, e.getOrigin().getLineCharacterStart()), e.toOriginalString()));
    }

    /** The expression and those passed to its virtual methods ({@code a.or(b)}, {@code a ?: b}). */
    private static void collect(Expression e, List<Expression> into) {
        into.add(e);
        for (Expression.Part p : e.getParts()) {
            if (p.isVirtualMethod()) {
                for (Expression param : p.asVirtualMethod().getParameters()) {
                    collect(param, into);
                }
            }
        }
    }

    /** Why the expression names something the model lacks, or null when it does not. */
    private static String unknown(Expression e, Set<String> declared) {
        if (e.isLiteral() || e.hasNamespace() || e.getParts().isEmpty()) {
            return null;
        }
        String root = e.getParts().get(0).getName();
        if (declared.contains(root) || declared.stream().anyMatch(alias -> root.startsWith(alias + "_"))) {
            return null;
        }
        Set<String> properties = MODEL.get(root);
        if (properties == null) {
            return "{" + e.toOriginalString() + "} names “" + root + "”, which a message does not have; the names"
                    + " are " + String.join(", ", AVAILABLE);
        }
        if (properties.isEmpty() || e.getParts().size() < 2 || OPEN.contains(root)) {
            return null;
        }
        Expression.Part second = e.getParts().get(1);
        if (second.isVirtualMethod() || properties.contains(second.getName())) {
            return null;
        }
        return "{" + e.toOriginalString() + "}: " + root + " has no “" + second.getName() + "”; it has "
                + String.join(", ", properties.stream().sorted().map(p -> root + "." + p).toList());
    }
}
