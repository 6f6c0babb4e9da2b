package io.carteiro.campaigns;

import io.quarkus.qute.Expression;
import io.quarkus.qute.LoopSectionHelper;
import io.quarkus.qute.ResolutionContext;
import io.quarkus.qute.ResultNode;
import io.quarkus.qute.Scope;
import io.quarkus.qute.SectionBlock;
import io.quarkus.qute.SectionHelper;
import io.quarkus.qute.SectionHelperFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * How much one render of a campaign template may do: loop iterations (all loops together) and characters of output.
 * Qute resolves a whole template into a tree of results before writing any of it, so a cap on the finished text
 * alone would come after the memory is spent ({@code {#for i in 4000}{#for j in 4000}x{/for}{/for}} is 16 million
 * nodes); the loops of the campaign engine ({@link Loops}) count against the budget while they resolve and stop the
 * render as soon as it is spent.
 */
final class RenderBudget {

    /** The template-instance attribute that carries the budget of one render. */
    static final String ATTRIBUTE = "carteiro.render-budget";

    /** The limits, from {@link CampaignsConfig}. */
    record Limits(long maxChars, long maxIterations) {
        static final Limits DEFAULT = new Limits(1_000_000, 10_000);
    }

    /** Thrown through Qute's resolution to stop a render that spent its budget; caught where the render began. */
    static final class Exceeded extends RuntimeException {
        Exceeded(String message) {
            super(message, null, false, false);
        }
    }

    private final Limits limits;
    private long iterations;
    private long chars;
    private int depth;

    RenderBudget(Limits limits) {
        this.limits = limits;
    }

    /** Fails once the finished text is longer than the limit. */
    String checked(String part, String output) {
        if (output.length() > limits.maxChars()) {
            throw tooLong(part);
        }
        return output;
    }

    Exceeded tooLong(String part) {
        return new Exceeded("the " + part + " renders to more than " + limits.maxChars()
                + " characters (carteiro.campaigns.max-rendered-chars)");
    }

    private void iteration() {
        if (++iterations > limits.maxIterations()) {
            throw new Exceeded("the loops run more than " + limits.maxIterations()
                    + " times in one message (carteiro.campaigns.max-loop-iterations)");
        }
    }

    /** Counts what one iteration of an outermost loop wrote; inner loops are inside it and counted with it. */
    private void output(ResultNode node) {
        long[] n = {0};
        node.process(s -> n[0] += s.length());
        chars += n[0];
        if (chars > limits.maxChars()) {
            throw new Exceeded("the loops write more than " + limits.maxChars()
                    + " characters (carteiro.campaigns.max-rendered-chars)");
        }
    }

    /** Qute's {@code {#for}} / {@code {#each}}, counting every iteration against the render's budget. */
    static final class Loops implements SectionHelperFactory<SectionHelper> {

        private final LoopSectionHelper.Factory loops = new LoopSectionHelper.Factory();

        @Override
        public List<String> getDefaultAliases() {
            return loops.getDefaultAliases();
        }

        @Override
        public ParametersInfo getParameters() {
            return loops.getParameters();
        }

        @Override
        public List<String> getBlockLabels() {
            return loops.getBlockLabels();
        }

        @Override
        public Scope initializeBlock(Scope outerScope, BlockInfo block) {
            return loops.initializeBlock(outerScope, block);
        }

        @Override
        public SectionHelper initialize(SectionInitContext context) {
            SectionHelper loop = loops.initialize(context);
            return sectionContext -> {
                Object attribute = sectionContext.resolutionContext().getAttribute(ATTRIBUTE);
                if (!(attribute instanceof RenderBudget budget)) {
                    return loop.resolve(sectionContext);
                }
                budget.depth++;
                try {
                    return loop.resolve(new Counted(sectionContext, budget, budget.depth == 1));
                } finally {
                    budget.depth--;
                }
            };
        }
    }

    /** The loop's view of its section: each block it executes is one iteration. */
    private record Counted(SectionHelper.SectionResolutionContext context, RenderBudget budget, boolean outermost)
            implements SectionHelper.SectionResolutionContext {

        @Override
        public CompletionStage<ResultNode> execute(SectionBlock block, ResolutionContext resolutionContext) {
            budget.iteration();
            CompletionStage<ResultNode> result = context.execute(block, resolutionContext);
            // Counted at once (and failed at once) when the iteration resolved synchronously, as campaign data does.
            CompletableFuture<ResultNode> done = result.toCompletableFuture();
            if (outermost && done.isDone() && !done.isCompletedExceptionally()) {
                budget.output(done.join());
            }
            return result;
        }

        @Override
        public CompletionStage<Map<String, Object>> evaluate(Map<String, Expression> parameters) {
            return context.evaluate(parameters);
        }

        @Override
        public ResolutionContext resolutionContext() {
            return context.resolutionContext();
        }

        @Override
        public ResolutionContext newResolutionContext(Object data, Map<String, SectionBlock> extendingBlocks) {
            return context.newResolutionContext(data, extendingBlocks);
        }

        @Override
        public Map<String, Object> getParameters() {
            return context.getParameters();
        }
    }
}
