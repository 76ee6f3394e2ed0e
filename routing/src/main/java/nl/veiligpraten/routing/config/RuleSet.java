package nl.veiligpraten.routing.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nl.veiligpraten.routing.Priority;

/**
 * Contents of {@code routing-rules.yaml}: the versioned decision table plus the priority-ageing
 * constants.
 *
 * @param version bumped on every rule change; recorded in every decision
 * @param ageing constants for {@link nl.veiligpraten.routing.PriorityAgeing}
 * @param rules all rules in table order (U0, U1, R1 .. R20)
 * @param noDeadEnds N1: what the engine adds when no suggestion can be reached now
 * @param floors priority principles of brief §4.3 ("where a rule and a principle differ the higher
 *     priority wins")
 */
public record RuleSet(
    String version,
    AgeingSettings ageing,
    List<Rule> rules,
    NoDeadEnds noDeadEnds,
    List<PriorityFloor> floors) {

  /**
   * Rule N1 "no dead ends": when no suggestion is reachable now and free, the first help point of
   * {@code fallback} that is reachable now is added. The loader checks that, with nobody staffed,
   * the phone and chat lines of these help points together are open every minute of the week, so N1
   * can always be met.
   */
  public record NoDeadEnds(List<String> fallback, LocalizedText why, String source) {
    public NoDeadEnds {
      fallback = List.copyOf(fallback);
    }
  }

  /**
   * A priority principle: when {@code when} holds, every suggestion is at least {@code atLeast}.
   */
  public record PriorityFloor(Condition when, Priority atLeast, String source) {}

  /** Rule the engine needs for the emergency suggestion. */
  public static final String EMERGENCY_RULE = "U0";

  /** Counselor rule for suicide risk. */
  public static final String SUICIDE_RISK_RULE = "U1";

  /**
   * Priority ageing: effective score = {@code baseScore[p] + pointsPerMinute × minutes waited}; P0
   * has no base score because it always comes first.
   */
  public record AgeingSettings(Map<Priority, Long> baseScore, long pointsPerMinute) {
    public AgeingSettings {
      Map<Priority, Long> copy = new EnumMap<>(Priority.class);
      copy.putAll(baseScore);
      baseScore = Collections.unmodifiableMap(copy);
    }
  }

  public RuleSet {
    rules = List.copyOf(rules);
    floors = List.copyOf(floors);
  }

  /** The rule with this id. */
  public Optional<Rule> rule(String id) {
    for (Rule r : rules) {
      if (r.id().equals(id)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** The single fallback (general triage) rule. */
  public Rule fallbackRule() {
    return rules.stream().filter(Rule::fallback).findFirst().orElseThrow();
  }

  static RuleSet read(YamlNode root, HelpPoints helpPoints) {
    root.allowOnly("version", "priorityAgeing", "priorityFloors", "noDeadEnds", "rules");
    String version = root.requireText("version");
    AgeingSettings ageing = readAgeing(root.require("priorityAgeing"));

    Map<String, YamlNode> refs = new LinkedHashMap<>();
    List<String[]> refEdges = new ArrayList<>(); // [from, to]
    String[] current = new String[1];
    ConditionParser conditions =
        new ConditionParser(
            helpPoints,
            (id, node) -> {
              refs.putIfAbsent(id, node);
              if (current[0] != null) {
                // only references inside a rule's own condition can recurse; when/then cases are
                // evaluated after
                refEdges.add(new String[] {current[0], id});
              }
            });

    Map<String, Rule> byId = new LinkedHashMap<>();
    Map<String, YamlNode> nodes = new HashMap<>();
    for (YamlNode rn : root.require("rules").asList()) {
      rn.asMap()
          .allowOnly(
              "id",
              "trigger",
              "condition",
              "target",
              "priority",
              "why",
              "source",
              "alsoOffer",
              "flags",
              "addOn",
              "fallback",
              "rankBefore");
      YamlNode idNode = rn.require("id");
      String id = idNode.asNonBlank();
      if (!Rule.ID.matcher(id).matches()) {
        throw idNode.error("rule ids look like U0 or R12, got '" + id + "'");
      }
      if (byId.containsKey(id)) {
        throw idNode.error("duplicate rule id '" + id + "'");
      }
      Rule rule = readRule(rn, id, conditions, helpPoints, current);
      byId.put(id, rule);
      nodes.put(id, rn);
    }
    for (Map.Entry<String, YamlNode> ref : refs.entrySet()) {
      Rule target = byId.get(ref.getKey());
      if (target == null) {
        throw ref.getValue().error("unknown rule '" + ref.getKey() + "' in matched");
      }
      if (target.trigger() == Rule.Trigger.COUNSELOR) {
        throw ref.getValue()
            .error("rule '" + ref.getKey() + "' is counselor-triggered and cannot be matched");
      }
    }
    checkCycles(refEdges, nodes);

    List<Rule> fallbacks = byId.values().stream().filter(Rule::fallback).toList();
    if (fallbacks.size() != 1) {
      throw root.require("rules")
          .error(
              "exactly one rule must have 'fallback: true' (general triage), found "
                  + fallbacks.size());
    }
    Rule fb = fallbacks.get(0);
    if (fb.target() == null
        || fb.target().values().size() != 1
        || helpPoints.get(fb.target().values().get(0)).kind() != HelpPoint.Kind.QUEUE) {
      throw nodes
          .get(fb.id())
          .error("the fallback rule must have one fixed target with kind: queue");
    }
    for (Rule r : byId.values()) {
      if (r.rankBefore() != null) {
        Rule other = byId.get(r.rankBefore());
        if (other == null || other.target() == null || other.id().equals(r.id())) {
          throw nodes
              .get(r.id())
              .require("rankBefore")
              .error(
                  "rankBefore must name another rule with a"
                      + " route, got '"
                      + r.rankBefore()
                      + "'");
        }
      }
      if (!r.fallback() && usesNoOtherRouteAt(nodes.get(r.id()).get("condition"))) {
        throw nodes
            .get(r.id())
            .require("condition")
            .error(
                "noOtherRouteAt may only be used by the fallback"
                    + " rule (it looks at every other rule)");
      }
    }
    requireRule(byId, root, EMERGENCY_RULE, Rule.Trigger.INTAKE);
    requireRule(byId, root, SUICIDE_RISK_RULE, Rule.Trigger.COUNSELOR);

    List<Rule> ordered = new ArrayList<>(byId.values());
    ordered.sort((a, b) -> Rule.ID_ORDER.compare(a.id(), b.id()));
    List<PriorityFloor> floors = new ArrayList<>();
    for (YamlNode fn : root.optList("priorityFloors")) {
      fn.asMap().allowOnly("when", "atLeast", "source");
      YamlNode src = fn.get("source");
      if (src == null || !src.isScalar() || src.asText().isBlank()) {
        throw fn.error("every priority floor needs a source");
      }
      floors.add(
          new PriorityFloor(
              conditions.parse(fn.require("when")),
              priority(fn.require("atLeast")),
              src.asText().trim()));
    }
    NoDeadEnds n1 = readNoDeadEnds(root.require("noDeadEnds"), helpPoints);
    return new RuleSet(version, ageing, ordered, n1, floors);
  }

  private static boolean usesNoOtherRouteAt(YamlNode n) {
    if (n == null) {
      return false;
    }
    if (n.isScalar()) {
      return false;
    }
    if (n.isList()) {
      return n.asList().stream().anyMatch(RuleSet::usesNoOtherRouteAt);
    }
    return n.keys().contains("noOtherRouteAt")
        || n.entries().values().stream().anyMatch(RuleSet::usesNoOtherRouteAt);
  }

  private static NoDeadEnds readNoDeadEnds(YamlNode n, HelpPoints helpPoints) {
    n.allowOnly("fallback", "why", "source");
    List<String> ids = new ArrayList<>();
    java.util.BitSet covered = new java.util.BitSet(OpeningHours.MINUTES_PER_WEEK);
    for (YamlNode item : n.require("fallback").asList()) {
      String id = helpPointId(item, helpPoints);
      HelpPoint hp = helpPoints.get(id);
      if (hp.cost() != HelpPoint.Cost.FREE) {
        throw item.error(
            "N1 fallback '" + id + "' must be free (cost: free): a dead end must not cost money");
      }
      ids.add(id);
      for (OpeningHours h : java.util.Arrays.asList(hp.phoneLineHours(), hp.chatLineHours())) {
        if (h != null) {
          covered.or(h.openMinutes());
        }
      }
    }
    if (ids.isEmpty()) {
      throw n.require("fallback").error("N1 needs at least one fallback help point");
    }
    int gap = covered.nextClearBit(0);
    if (gap < OpeningHours.MINUTES_PER_WEEK) {
      String[] days = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
      throw n.require("fallback")
          .error(
              String.format(
                  java.util.Locale.ROOT,
                  "N1 violation: with nobody staffed, none of the phone or chat lines of %s is open on %s at"
                      + " %02d:%02d; add a help point whose line is open then, or change its hours",
                  ids,
                  days[gap / 1440],
                  (gap % 1440) / 60,
                  gap % 60));
    }
    YamlNode src = n.get("source");
    if (src == null || !src.isScalar() || src.asText().isBlank()) {
      throw n.error("noDeadEnds needs a source");
    }
    YamlNode whyNode = n.require("why");
    LocalizedText why = LocalizedText.read(whyNode);
    checkVisitorText(whyNode, why);
    return new NoDeadEnds(ids, why, src.asText().trim());
  }

  private static void requireRule(
      Map<String, Rule> byId, YamlNode root, String id, Rule.Trigger trigger) {
    Rule r = byId.get(id);
    if (r == null) {
      throw root.require("rules").error("rule " + id + " is required");
    }
    if (r.trigger() != trigger || r.target() == null) {
      throw root.require("rules")
          .error(
              "rule "
                  + id
                  + " must have trigger "
                  + trigger.name().toLowerCase(java.util.Locale.ROOT)
                  + " and a target");
    }
  }

  private static Rule readRule(
      YamlNode rn,
      String id,
      ConditionParser conditions,
      HelpPoints helpPoints,
      String[] conditionOwner) {
    String triggerText = rn.optText("trigger");
    Rule.Trigger trigger =
        triggerText == null
            ? Rule.Trigger.INTAKE
            : switch (triggerText) {
              case "intake" -> Rule.Trigger.INTAKE;
              case "counselor" -> Rule.Trigger.COUNSELOR;
              default ->
                  throw rn.require("trigger").error("trigger must be 'intake' or 'counselor'");
            };
    YamlNode sourceNode = rn.get("source");
    if (sourceNode == null || !sourceNode.isScalar() || sourceNode.asText().isBlank()) {
      throw rn.error("rule " + id + " has no source (every rule must cite where it comes from)");
    }
    String source = sourceNode.asText().trim();
    YamlNode whyNode = rn.get("why");
    if (whyNode == null) {
      throw rn.error(
          "rule " + id + " has no 'why' text (missing translations 'nl', 'nl_easy' and 'en')");
    }

    Condition condition = null;
    if (trigger == Rule.Trigger.INTAKE) {
      conditionOwner[0] = id;
      try {
        condition = conditions.parse(rn.require("condition"));
      } finally {
        conditionOwner[0] = null;
      }
    } else if (rn.has("condition")) {
      throw rn.get("condition").error("counselor-triggered rules have no intake condition");
    }
    Choice<String> target =
        rn.get("target") == null
            ? null
            : Choice.read(rn.get("target"), conditions, n -> helpPointId(n, helpPoints));
    Choice<Priority> priority =
        rn.get("priority") == null
            ? null
            : Choice.read(rn.get("priority"), conditions, RuleSet::priority);
    Choice<LocalizedText> why = whyChoice(whyNode, conditions);
    Set<String> flags = new LinkedHashSet<>();
    for (YamlNode f : rn.optList("flags")) {
      String flag = f.asNonBlank();
      if (!flag.matches("[a-z][a-z0-9_]*")) {
        throw f.error("flags are lower-case words with underscores, got '" + flag + "'");
      }
      flags.add(flag);
    }
    if (target == null && flags.isEmpty()) {
      throw rn.error("rule " + id + " needs a target (help point) or flags");
    }
    if (target != null && priority == null) {
      throw rn.error("rule " + id + " has a target but no priority");
    }
    if (target == null && priority != null) {
      throw rn.require("priority").error("a rule without target has no priority of its own");
    }
    List<Rule.AlsoOffer> also = new ArrayList<>();
    for (YamlNode an : rn.optList("alsoOffer")) {
      an.asMap().allowOnly("helpPoint", "when", "why");
      String hp = helpPointId(an.require("helpPoint"), helpPoints);
      Condition when = an.get("when") == null ? null : conditions.parse(an.get("when"));
      Choice<LocalizedText> alsoWhy =
          an.get("why") == null ? null : whyChoice(an.get("why"), conditions);
      also.add(new Rule.AlsoOffer(hp, when, alsoWhy));
    }
    boolean addOn = rn.optBool("addOn", false);
    boolean fallback = rn.optBool("fallback", false);
    if ((addOn || fallback) && target == null) {
      throw rn.error("addOn/fallback rules need a target");
    }
    if (addOn && fallback) {
      throw rn.error("a rule cannot be both addOn and fallback");
    }
    if (trigger == Rule.Trigger.COUNSELOR && (addOn || fallback)) {
      throw rn.error("counselor-triggered rules cannot be addOn or fallback");
    }
    String rankBefore = rn.optText("rankBefore");
    return new Rule(
        id,
        trigger,
        condition,
        target,
        priority,
        why,
        source,
        also,
        flags,
        addOn,
        fallback,
        rankBefore);
  }

  /**
   * A why text: {nl, nl_easy, en}, or when/then cases of those (texts that fit the role and age of
   * the reader).
   */
  private static Choice<LocalizedText> whyChoice(YamlNode n, ConditionParser conditions) {
    return Choice.read(
        n,
        conditions,
        t -> {
          LocalizedText text = LocalizedText.read(t);
          checkVisitorText(t, text);
          return text;
        });
  }

  private static void checkVisitorText(YamlNode n, LocalizedText t) {
    Questionnaire.checkBanned(n, t);
  }

  private static String helpPointId(YamlNode n, HelpPoints helpPoints) {
    String id = n.asNonBlank();
    if (helpPoints.find(id).isEmpty()) {
      throw n.error("unknown help point '" + id + "' (known: " + helpPoints.byId().keySet() + ")");
    }
    return id;
  }

  private static Priority priority(YamlNode n) {
    String p = n.asNonBlank();
    try {
      return Priority.valueOf(p);
    } catch (IllegalArgumentException e) {
      throw n.error("priority must be one of P0, P1, P2, P3, got '" + p + "'");
    }
  }

  private static AgeingSettings readAgeing(YamlNode n) {
    n.allowOnly("baseScore", "pointsPerMinute");
    YamlNode base = n.require("baseScore");
    base.allowOnly("P1", "P2", "P3");
    Map<Priority, Long> scores = new EnumMap<>(Priority.class);
    for (Priority p : List.of(Priority.P1, Priority.P2, Priority.P3)) {
      YamlNode v = base.get(p.name());
      if (v == null) {
        throw base.error("missing baseScore for " + p + " (P0 is always first and has none)");
      }
      scores.put(p, (long) v.asInt());
    }
    if (!(scores.get(Priority.P1) > scores.get(Priority.P2)
        && scores.get(Priority.P2) > scores.get(Priority.P3))) {
      throw base.error(
          "baseScore must decrease from P1 to P3 so fresh cases keep their priority order");
    }
    YamlNode ppm = n.require("pointsPerMinute");
    int perMinute = ppm.asInt();
    if (perMinute < 1) {
      throw ppm.error("pointsPerMinute must be at least 1, otherwise low priorities can starve");
    }
    return new AgeingSettings(scores, perMinute);
  }

  private static void checkCycles(List<String[]> edges, Map<String, YamlNode> nodes) {
    Map<String, Set<String>> graph = new HashMap<>();
    for (String[] e : edges) {
      graph.computeIfAbsent(e[0], k -> new LinkedHashSet<>()).add(e[1]);
    }
    Set<String> done = new HashSet<>();
    for (String start : graph.keySet()) {
      visit(start, graph, new LinkedHashSet<>(), done, nodes);
    }
  }

  private static void visit(
      String id,
      Map<String, Set<String>> graph,
      Set<String> path,
      Set<String> done,
      Map<String, YamlNode> nodes) {
    if (done.contains(id)) {
      return;
    }
    if (!path.add(id)) {
      throw nodes
          .get(id)
          .error("rules refer to each other in a cycle via 'matched': " + path + " -> " + id);
    }
    for (String next : graph.getOrDefault(id, Set.of())) {
      visit(next, graph, path, done, nodes);
    }
    path.remove(id);
    done.add(id);
  }
}
