package nl.veiligpraten.routing;

import nl.veiligpraten.routing.config.EvalContext;
import nl.veiligpraten.routing.config.HelpPoint;
import nl.veiligpraten.routing.config.LocalizedText;
import nl.veiligpraten.routing.config.RoutingConfig;
import nl.veiligpraten.routing.config.Rule;
import nl.veiligpraten.routing.config.RuleSet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Evaluates the decision table (brief §4.2) against intake answers. Pure and deterministic: the same answers and
 * configuration always give the same {@link Decision}. Thread-safe.
 *
 * <p>Guarantees, whatever the configuration says:
 * <ul>
 *   <li>1 to {@value #MAX_SUGGESTIONS} suggestions, ordered by priority (P0 first) then rule number, one per help
 *   point;</li>
 *   <li>the fallback rule (R20, general triage) is added when no other rule routes, and always when the visitor
 *   pressed talk-now;</li>
 *   <li>an add-on route (R15 police card) is never the only option;</li>
 *   <li>{@code emergency} is true exactly when Q0 = yes. This is deliberately code, not configuration.</li>
 * </ul>
 */
public final class RoutingEngine {

    /** The emergency number shown client-side on U0. The only number allowed in code (brief, hard rule). */
    public static final String EMERGENCY_NUMBER = "112";

    /** The visitor is shown at most this many routes (brief §4.2). */
    public static final int MAX_SUGGESTIONS = 3;

    private final RoutingConfig config;
    private final Comparator<Suggestion> order = Comparator
            .comparing(Suggestion::priority)
            .thenComparing(Suggestion::rule, Rule.ID_ORDER);

    public RoutingEngine(RoutingConfig config) {
        this.config = config;
    }

    /** An engine on the bundled configuration. */
    public static RoutingEngine withDefaults() {
        return new RoutingEngine(RoutingConfig.defaults());
    }

    public RoutingConfig config() {
        return config;
    }

    /** Evaluates all intake rules and returns the routes to offer. */
    public Decision decide(Answers answers) {
        RuleSet rules = config.rules();
        Context ctx = new Context(answers);
        List<String> matched = new ArrayList<>();
        Set<String> flags = new LinkedHashSet<>();
        List<Suggestion> candidates = new ArrayList<>();
        List<Suggestion> also = new ArrayList<>();
        Map<String, Rule> ruleOf = new HashMap<>();

        for (Rule rule : rules.rules()) {
            if (rule.trigger() != Rule.Trigger.INTAKE || !ctx.matched(rule.id())) {
                continue;
            }
            matched.add(rule.id());
            flags.addAll(rule.flags());
            ruleOf.put(rule.id(), rule);
            Priority priority = rule.priority() == null ? Priority.P3 : rule.priority().resolve(ctx);
            if (rule.target() != null) {
                candidates.add(suggestion(rule, rule.target().resolve(ctx), priority, rule.why()));
            }
            for (Rule.AlsoOffer ao : rule.alsoOffer()) {
                if (ao.when() == null || ao.when().test(ctx)) {
                    also.add(suggestion(rule, ao.helpPoint(), priority, ao.why() != null ? ao.why() : rule.why()));
                }
            }
        }

        Rule fallback = rules.fallbackRule();
        boolean routed = candidates.stream().map(s -> ruleOf.get(s.rule())).anyMatch(r -> !r.addOn() && !r.fallback());
        boolean needFallback = answers.talkNow() || !routed;
        if (needFallback && !matched.contains(fallback.id())) {
            matched.add(fallback.id());
            matched.sort(Rule.ID_ORDER);
            ruleOf.put(fallback.id(), fallback);
            candidates.add(suggestion(fallback, fallback.target().resolve(ctx), fallback.priority().resolve(ctx),
                    fallback.why()));
        }

        List<Suggestion> ranked = dedupe(candidates);
        List<Suggestion> selected = new ArrayList<>(ranked.subList(0, Math.min(MAX_SUGGESTIONS, ranked.size())));
        String triage = fallback.target().values().get(0);
        if (answers.talkNow() && selected.stream().noneMatch(s -> s.helpPoint().equals(triage))) {
            // talk-now opens general triage "with whatever answers exist": it must not be cut off
            Suggestion fb = ranked.stream().filter(s -> s.helpPoint().equals(triage)).findFirst().orElseThrow();
            selected.set(selected.size() - 1, fb);
        }
        if (selected.stream().allMatch(s -> ruleOf.get(s.rule()).addOn())) {
            ranked.stream().filter(s -> !ruleOf.get(s.rule()).addOn()).findFirst()
                    .ifPresent(s -> selected.set(selected.size() - 1, s));
        }
        selected.sort(order);

        return new Decision(rules.version(), mostUrgent(selected), isEmergency(answers), selected,
                alsoOffer(also, selected), flags, matched);
    }

    /** The U1 suggestion (suicide-prevention card, P0). Never produced from intake answers. */
    public Suggestion suicideRiskSuggestion() {
        return counselorSuggestion(RuleSet.SUICIDE_RISK_RULE);
    }

    /**
     * Adds a counselor-triggered rule (U1) to an existing decision: its route goes in front (P0), the rest is
     * re-ranked and cut to three, and the rule is recorded in {@link Decision#matchedRules()}.
     *
     * @throws IllegalArgumentException if the rule does not exist or is not counselor-triggered
     */
    public Decision applyCounselorRule(Decision decision, String ruleId) {
        Suggestion s = counselorSuggestion(ruleId);
        List<Suggestion> all = new ArrayList<>(decision.suggestions());
        all.add(s);
        List<Suggestion> ranked = dedupe(all);
        List<Suggestion> selected = ranked.subList(0, Math.min(MAX_SUGGESTIONS, ranked.size()));
        List<String> matched = new ArrayList<>(decision.matchedRules());
        if (!matched.contains(ruleId)) {
            matched.add(ruleId);
            matched.sort(Rule.ID_ORDER);
        }
        return new Decision(decision.rulesVersion(), mostUrgent(selected), decision.emergency(), selected,
                alsoOffer(decision.alsoOffer(), selected), decision.flags(), matched);
    }

    private Suggestion counselorSuggestion(String ruleId) {
        Rule rule = config.rules().rule(ruleId)
                .orElseThrow(() -> new IllegalArgumentException("unknown rule " + ruleId));
        if (rule.trigger() != Rule.Trigger.COUNSELOR) {
            throw new IllegalArgumentException("rule " + ruleId + " is not counselor-triggered");
        }
        // counselor rules do not look at intake answers; resolve any choice against no answers
        Context none = new Context(Answers.empty());
        return suggestion(rule, rule.target().resolve(none), rule.priority().resolve(none), rule.why());
    }

    private static boolean isEmergency(Answers answers) {
        return answers.single(IntakeCodes.DANGER_QUESTION).map(IntakeCodes.DANGER_YES::equals).orElse(false);
    }

    private Suggestion suggestion(Rule rule, String helpPointId, Priority priority, LocalizedText why) {
        HelpPoint hp = config.helpPoints().get(helpPointId);
        return new Suggestion(hp.id(), hp.kind(), rule.id(), priority, why, rule.source());
    }

    /** Sorted by priority then rule number; the first (most urgent) suggestion per help point wins. */
    private List<Suggestion> dedupe(List<Suggestion> suggestions) {
        List<Suggestion> sorted = new ArrayList<>(suggestions);
        sorted.sort(order);
        Map<String, Suggestion> byHelpPoint = new LinkedHashMap<>();
        for (Suggestion s : sorted) {
            byHelpPoint.putIfAbsent(s.helpPoint(), s);
        }
        return new ArrayList<>(byHelpPoint.values());
    }

    private List<Suggestion> alsoOffer(List<Suggestion> also, List<Suggestion> selected) {
        Set<String> shown = new LinkedHashSet<>();
        selected.forEach(s -> shown.add(s.helpPoint()));
        return dedupe(also).stream().filter(s -> !shown.contains(s.helpPoint())).toList();
    }

    private static Priority mostUrgent(List<Suggestion> suggestions) {
        return suggestions.stream().map(Suggestion::priority).reduce(Priority::mostUrgent).orElseThrow();
    }

    /** Memoises rule matches so {@code matched: R2} references cost one evaluation per decision. */
    private final class Context implements EvalContext {
        private final Answers answers;
        private final Optional<AgeBand> age;
        private final Map<String, Boolean> memo = new HashMap<>();

        Context(Answers answers) {
            this.answers = answers;
            this.age = config.questionnaire().ageBand(answers);
        }

        @Override
        public Answers answers() {
            return answers;
        }

        @Override
        public Optional<AgeBand> age() {
            return age;
        }

        @Override
        public boolean matched(String ruleId) {
            Boolean known = memo.get(ruleId);
            if (known != null) {
                return known;
            }
            Rule rule = config.rules().rule(ruleId).orElseThrow();
            boolean result = rule.trigger() == Rule.Trigger.INTAKE && rule.condition().test(this);
            memo.put(ruleId, result);
            return result;
        }
    }
}
