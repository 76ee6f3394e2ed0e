package nl.veiligpraten.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nl.veiligpraten.routing.config.EvalContext;
import nl.veiligpraten.routing.config.HelpPoint;
import nl.veiligpraten.routing.config.LocalizedText;
import nl.veiligpraten.routing.config.RoutingConfig;
import nl.veiligpraten.routing.config.Rule;
import nl.veiligpraten.routing.config.RuleSet;

/**
 * Evaluates the decision table (brief §4.2 v2) against intake answers. Pure and deterministic: the
 * same answers, reachability view and configuration always give the same {@link Decision}.
 * Thread-safe.
 *
 * <p>Guarantees, whatever the configuration says:
 *
 * <ul>
 *   <li>answers to questions that are not shown for the given role are ignored (brief §4.1 v2);
 *   <li>1 to {@value #MAX_SUGGESTIONS} suggestions, ordered by priority (P0 first) then rule
 *       number, one per help point;
 *   <li>the fallback rule (R20, general triage) is added when no other rule routes, and always when
 *       the visitor pressed talk-now;
 *   <li>an add-on route (R15 police card) is never the only option;
 *   <li>N1 "no dead ends": at least one suggestion is reachable now (a staffed open queue, or a
 *       phone or chat line open now) and free; a supplement card (no central contact data)
 *       therefore never stands alone;
 *   <li>{@code emergency} is true exactly when Q0 = yes. This is deliberately code, not
 *       configuration.
 * </ul>
 */
public final class RoutingEngine {

  /**
   * The emergency number shown client-side on U0. The only number allowed in code (brief, hard
   * rule).
   */
  public static final String EMERGENCY_NUMBER = "112";

  /** The visitor is shown at most this many routes (brief §4.2). */
  public static final int MAX_SUGGESTIONS = 3;

  /** Rule id of suggestions added by "no dead ends". */
  public static final String NO_DEAD_ENDS_RULE = "N1";

  private final RoutingConfig config;
  private final Map<String, Integer> tableIndex = new HashMap<>();
  private final Comparator<Suggestion> order;

  public RoutingEngine(RoutingConfig config) {
    this.config = config;
    List<Rule> rules = config.rules().rules();
    for (int i = 0; i < rules.size(); i++) {
      tableIndex.put(rules.get(i).id(), i);
    }
    this.order =
        Comparator.comparing(Suggestion::priority).thenComparingInt(s -> rankKey(s.rule()));
  }

  /** An engine on the bundled configuration. */
  public static RoutingEngine withDefaults() {
    return new RoutingEngine(RoutingConfig.defaults());
  }

  public RoutingConfig config() {
    return config;
  }

  /**
   * Evaluates all intake rules and returns the routes to offer at the moment and staffing of {@code
   * reach}. Answers to questions not shown for the role are ignored.
   */
  public Decision decide(Answers raw, Reachability reach) {
    return decide(rank(raw), reach);
  }

  /**
   * The time-independent part of a decision: every intake rule evaluated, routes ranked and cut to
   * three (talk-now and add-on guarantees applied). {@link #decide(Ranking, Reachability)} then
   * applies rule N1 for a moment and a staffing view. Useful when one answer set is decided for
   * many moments (tests, closed-screen checks).
   */
  public Ranking rank(Answers raw) {
    RuleSet rules = config.rules();
    Answers answers = config.questionnaire().visibleOnly(raw);
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
      Priority priority = ctx.priorityOf(rule);
      if (rule.target() != null) {
        candidates.add(
            candidate(
                rule.id(),
                rule.source(),
                rule.target().resolve(ctx),
                priority,
                rule.why().resolve(ctx)));
      }
      for (Rule.AlsoOffer ao : rule.alsoOffer()) {
        if (ao.when() == null || ao.when().test(ctx)) {
          HelpPoint hp = config.helpPoints().get(ao.helpPoint());
          LocalizedText why = ao.why() != null ? ao.why().resolve(ctx) : hp.description();
          also.add(candidate(rule.id(), rule.source(), hp.id(), priority, why));
        }
      }
    }

    Rule fallback = rules.fallbackRule();
    boolean routed =
        candidates.stream()
            .map(s -> ruleOf.get(s.rule()))
            .anyMatch(r -> !r.addOn() && !r.fallback());
    boolean needFallback = answers.talkNow() || !routed;
    if (needFallback && !matched.contains(fallback.id())) {
      matched.add(fallback.id());
      matched.sort(Rule.ID_ORDER);
      ruleOf.put(fallback.id(), fallback);
      candidates.add(
          candidate(
              fallback.id(),
              fallback.source(),
              fallback.target().resolve(ctx),
              ctx.priorityOf(fallback),
              fallback.why().resolve(ctx)));
    }

    List<Suggestion> ranked = dedupe(candidates);
    List<Suggestion> selected =
        new ArrayList<>(ranked.subList(0, Math.min(MAX_SUGGESTIONS, ranked.size())));
    List<Suggestion> displaced = new ArrayList<>(ranked.subList(selected.size(), ranked.size()));
    String triage = fallback.target().values().get(0);
    if (answers.talkNow() && selected.stream().noneMatch(s -> s.helpPoint().equals(triage))) {
      // talk-now opens general triage "with whatever answers exist": it must not be cut off
      Suggestion fb =
          ranked.stream().filter(s -> s.helpPoint().equals(triage)).findFirst().orElseThrow();
      displaced.add(selected.set(selected.size() - 1, fb));
    }
    if (selected.stream().allMatch(s -> ruleOf.get(s.rule()).addOn())) {
      Optional<Suggestion> real =
          ranked.stream().filter(s -> !ruleOf.get(s.rule()).addOn()).findFirst();
      if (real.isPresent()) {
        displaced.add(selected.set(selected.size() - 1, real.get()));
      }
    }
    selected.sort(order);
    List<Suggestion> alsoAll = new ArrayList<>(also);
    alsoAll.addAll(displaced);
    return new Ranking(
        rules.version(), isEmergency(answers), selected, dedupe(alsoAll), flags, matched);
  }

  /**
   * Applies rule N1 to a ranking for a moment and staffing view: the decision the visitor sees.
   * Pure.
   */
  public Decision decide(Ranking ranking, Reachability reach) {
    List<Suggestion> selected = new ArrayList<>();
    ranking.selected().forEach(s -> selected.add(at(s, reach)));
    List<Suggestion> displaced = new ArrayList<>();
    noDeadEnds(selected, displaced, reach);
    selected.sort(order);
    List<Suggestion> alsoAll = new ArrayList<>(displaced);
    ranking.also().forEach(s -> alsoAll.add(at(s, reach)));
    return new Decision(
        ranking.rulesVersion(),
        mostUrgent(selected),
        ranking.emergency(),
        selected,
        alsoOffer(alsoAll, selected),
        ranking.flags(),
        ranking.matchedRules());
  }

  /**
   * The time-independent part of a decision ({@link #rank(Answers)}): suggestions and also-offers
   * without availability yet.
   */
  public record Ranking(
      String rulesVersion,
      boolean emergency,
      List<Suggestion> selected,
      List<Suggestion> also,
      Set<String> flags,
      List<String> matchedRules) {
    public Ranking {
      selected = List.copyOf(selected);
      also = List.copyOf(also);
      flags = Set.copyOf(flags);
      matchedRules = List.copyOf(matchedRules);
    }
  }

  private Suggestion candidate(
      String ruleId, String source, String helpPointId, Priority priority, LocalizedText why) {
    HelpPoint hp = config.helpPoints().get(helpPointId);
    return new Suggestion(
        hp.id(), hp.kind(), ruleId, priority, why, source, hp.cost(), Availability.UNKNOWN);
  }

  private Suggestion at(Suggestion s, Reachability reach) {
    return new Suggestion(
        s.helpPoint(),
        s.kind(),
        s.rule(),
        s.priority(),
        s.why(),
        s.source(),
        s.cost(),
        availability(config.helpPoints().get(s.helpPoint()), reach));
  }

  /**
   * Rule N1: when no suggestion is reachable now and free, add the first fallback help point
   * (triage, then the 24/7 lines) that is. With three suggestions already, the last one moves to
   * the also-offer list, so nothing the rules found is lost and the visitor still sees at most
   * three.
   */
  private void noDeadEnds(
      List<Suggestion> selected, List<Suggestion> displaced, Reachability reach) {
    if (selected.stream().anyMatch(Suggestion::reachableAndFree)) {
      return;
    }
    Suggestion add =
        fallbackSuggestion(
            selected.stream().map(Suggestion::helpPoint).toList(), mostUrgent(selected), reach);
    if (selected.size() >= MAX_SUGGESTIONS) {
      displaced.add(0, selected.remove(selected.size() - 1));
    }
    selected.add(add);
  }

  private Suggestion fallbackSuggestion(
      List<String> exclude, Priority priority, Reachability reach) {
    RuleSet.NoDeadEnds n1 = config.rules().noDeadEnds();
    Suggestion first = null;
    for (String id : n1.fallback()) {
      if (exclude.contains(id)) {
        continue;
      }
      Suggestion s = suggestion(NO_DEAD_ENDS_RULE, n1.source(), id, priority, n1.why(), reach);
      if (s.reachableAndFree()) {
        return s;
      }
      if (first == null) {
        first = s;
      }
    }
    // Unreachable by construction: the loader proves the fallback lines cover every minute of the
    // week.
    return first != null
        ? first
        : suggestion(
            NO_DEAD_ENDS_RULE, n1.source(), n1.fallback().get(0), priority, n1.why(), reach);
  }

  /**
   * What to offer when the visitor chose a help point that turns out not reachable now (closed by
   * its hours, or its queue unstaffed). The page shows exactly this, so page and engine never
   * disagree: the chosen help point's availability (when it opens, which of its lines are open now)
   * and the options reachable now, taken from the decision's suggestions and also-offers first and
   * completed by rule N1, never empty. With a {@code null} help point: the options open now for the
   * decision in general.
   */
  public ClosedChoice whenUnavailable(
      Decision decision, String chosenHelpPoint, Reachability reach) {
    Availability availability = new Availability(List.of(), List.of(), Optional.empty(), false);
    Set<String> seen = new LinkedHashSet<>();
    if (chosenHelpPoint != null) {
      HelpPoint chosen =
          config
              .helpPoints()
              .find(chosenHelpPoint)
              .orElseThrow(
                  () -> new IllegalArgumentException("unknown help point " + chosenHelpPoint));
      availability = Availability.of(chosen, reach);
      seen.add(chosenHelpPoint);
    }
    List<Suggestion> open = new ArrayList<>();
    List<Suggestion> pool = new ArrayList<>(decision.suggestions());
    pool.addAll(decision.alsoOffer());
    for (Suggestion s : pool) {
      Suggestion now =
          suggestion(s.rule(), s.source(), s.helpPoint(), s.priority(), s.why(), reach);
      if (now.availability().reachableNow() && seen.add(now.helpPoint())) {
        open.add(now);
      }
    }
    if (open.stream().noneMatch(Suggestion::reachableAndFree)) {
      open.add(fallbackSuggestion(List.copyOf(seen), decision.priority(), reach));
    }
    return new ClosedChoice(chosenHelpPoint, availability, List.copyOf(open), decision.emergency());
  }

  /** The U1 suggestion (suicide-prevention card, P0). Never produced from intake answers. */
  public Suggestion suicideRiskSuggestion(Reachability reach) {
    return counselorSuggestion(RuleSet.SUICIDE_RISK_RULE, reach);
  }

  /**
   * Adds a counselor-triggered rule (U1) to an existing decision: its route goes in front (P0), the
   * rest is re-ranked and cut to three, and the rule is recorded in {@link
   * Decision#matchedRules()}.
   *
   * @throws IllegalArgumentException if the rule does not exist or is not counselor-triggered
   */
  public Decision applyCounselorRule(Decision decision, String ruleId, Reachability reach) {
    Suggestion s = counselorSuggestion(ruleId, reach);
    List<Suggestion> all = new ArrayList<>(decision.suggestions());
    all.add(s);
    List<Suggestion> ranked = dedupe(all);
    List<Suggestion> selected =
        new ArrayList<>(ranked.subList(0, Math.min(MAX_SUGGESTIONS, ranked.size())));
    List<Suggestion> also = new ArrayList<>(ranked.subList(selected.size(), ranked.size()));
    also.addAll(decision.alsoOffer());
    List<String> matched = new ArrayList<>(decision.matchedRules());
    if (!matched.contains(ruleId)) {
      matched.add(ruleId);
      matched.sort(Rule.ID_ORDER);
    }
    return new Decision(
        decision.rulesVersion(),
        mostUrgent(selected),
        decision.emergency(),
        selected,
        alsoOffer(also, selected),
        decision.flags(),
        matched);
  }

  private Suggestion counselorSuggestion(String ruleId, Reachability reach) {
    Rule rule =
        config
            .rules()
            .rule(ruleId)
            .orElseThrow(() -> new IllegalArgumentException("unknown rule " + ruleId));
    if (rule.trigger() != Rule.Trigger.COUNSELOR) {
      throw new IllegalArgumentException("rule " + ruleId + " is not counselor-triggered");
    }
    // counselor rules do not look at intake answers; resolve any choice against no answers
    Context none = new Context(Answers.empty());
    return suggestion(
        rule.id(),
        rule.source(),
        rule.target().resolve(none),
        rule.priority().resolve(none),
        rule.why().resolve(none),
        reach);
  }

  private static boolean isEmergency(Answers answers) {
    return answers
        .single(IntakeCodes.DANGER_QUESTION)
        .map(IntakeCodes.DANGER_YES::equals)
        .orElse(false);
  }

  private Suggestion suggestion(
      String ruleId,
      String source,
      String helpPointId,
      Priority priority,
      LocalizedText why,
      Reachability reach) {
    HelpPoint hp = config.helpPoints().get(helpPointId);
    return new Suggestion(
        hp.id(), hp.kind(), ruleId, priority, why, source, hp.cost(), availability(hp, reach));
  }

  /**
   * Availability per help point, memoised for the last reachability view (decisions come in bursts
   * per moment).
   */
  private volatile AvailabilityMemo memo = new AvailabilityMemo(null, Map.of());

  private record AvailabilityMemo(Reachability reach, Map<String, Availability> byHelpPoint) {}

  private Availability availability(HelpPoint hp, Reachability reach) {
    AvailabilityMemo m = memo;
    if (!reach.equals(m.reach())) {
      Map<String, Availability> all = new HashMap<>();
      for (HelpPoint h : config.helpPoints().byId().values()) {
        all.put(h.id(), Availability.of(h, reach));
      }
      m = new AvailabilityMemo(reach, all);
      memo = m;
    }
    return m.byHelpPoint().get(hp.id());
  }

  /**
   * Table position; a rule with {@code rankBefore: X} sorts just before X at equal priority; N1
   * last.
   */
  private int rankKey(String ruleId) {
    Integer own = tableIndex.get(ruleId);
    if (own == null) {
      return Integer.MAX_VALUE;
    }
    Rule rule = config.rules().rules().get(own);
    if (rule.rankBefore() != null) {
      return 2 * tableIndex.get(rule.rankBefore());
    }
    return 2 * own + 1;
  }

  /**
   * Sorted by priority then rule number; the first (most urgent) suggestion per help point wins.
   */
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
    return suggestions.stream()
        .map(Suggestion::priority)
        .reduce(Priority::mostUrgent)
        .orElseThrow();
  }

  /** Memoises rule matches so {@code matched: R2} references cost one evaluation per decision. */
  private final class Context implements EvalContext {
    private final Answers answers;
    private final Optional<AgeBand> age;
    private final Optional<AgeBand> askerAge;
    private final Map<String, Boolean> memo = new HashMap<>();
    private final Map<String, Boolean> shownMemo = new HashMap<>();
    private Optional<Priority> floor;

    Context(Answers answers) {
      this.answers = answers;
      this.age = config.questionnaire().ageBand(answers);
      this.askerAge = config.questionnaire().askerAgeBand(answers);
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
    public Optional<AgeBand> askerAge() {
      return askerAge;
    }

    @Override
    public boolean shown(String questionId) {
      // the answers are already reduced to visible questions, so showIf can be read on this context
      Boolean known = shownMemo.get(questionId);
      if (known == null) {
        known =
            config
                .questionnaire()
                .question(questionId)
                .map(q -> q.showIf() == null || q.showIf().test(this))
                .orElse(false);
        shownMemo.put(questionId, known);
      }
      return known;
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

    @Override
    public boolean noOtherRouteAt(Priority priority) {
      for (Rule r : config.rules().rules()) {
        if (r.trigger() == Rule.Trigger.INTAKE
            && r.target() != null
            && !r.fallback()
            && matched(r.id())
            && priorityOf(r).compareTo(priority) <= 0) {
          return false;
        }
      }
      return true;
    }

    /** The rule's priority for these answers, raised to the priority principles of brief §4.3. */
    Priority priorityOf(Rule rule) {
      Priority p = rule.priority() == null ? Priority.P3 : rule.priority().resolve(this);
      return floor().map(f -> Priority.mostUrgent(f, p)).orElse(p);
    }

    private Optional<Priority> floor() {
      if (floor == null) {
        floor =
            config.rules().floors().stream()
                .filter(f -> f.when().test(this))
                .map(RuleSet.PriorityFloor::atLeast)
                .reduce(Priority::mostUrgent);
      }
      return floor;
    }
  }
}
