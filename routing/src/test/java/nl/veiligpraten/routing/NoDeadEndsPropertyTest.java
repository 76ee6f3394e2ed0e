package nl.veiligpraten.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import nl.veiligpraten.routing.config.Choice;
import nl.veiligpraten.routing.config.Condition;
import nl.veiligpraten.routing.config.EvalContext;
import nl.veiligpraten.routing.config.HelpPoint;
import nl.veiligpraten.routing.config.OpeningHours;
import nl.veiligpraten.routing.config.Questionnaire;
import nl.veiligpraten.routing.config.RoutingConfig;
import nl.veiligpraten.routing.config.Rule;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Rule N1 "no dead ends" (brief §4.2 v2), exhaustively: per role, every answer the rules can tell
 * apart, at each of the 168 hours of a week with nothing staffed and with every queue staffed, and
 * for every other set of staffed queues. Every decision must contain a suggestion that is reachable
 * now (a staffed open queue, or a phone or chat line open now) and free; a supplement card never
 * stands alone; and when any suggestion is chosen while it cannot be reached, the engine's
 * closed-choice options again hold a free line open now.
 *
 * <p><b>Why enumerating classes is exhaustive.</b> The engine reads the answers only through the
 * conditions of the configuration (rules, their targets, priorities, also-offers and texts, the
 * priority floors, the questionnaire's {@code showIf}) plus three fixed reads: Q0 = yes
 * (emergency), talk-now, and the role (Q1) for the asker's age. {@link Condition} is sealed; {@link
 * #atoms} walks every condition down to its leaves and fails on a leaf type it does not know. Each
 * leaf reads at most one answer besides the role: {@code answer/contains/answered} their question,
 * an age predicate Q2, an asker-age predicate QA or Q2 (by role), {@code shown} only the role
 * (checked below), {@code talkNow} the flag. So, per role, two answers to one question that give
 * every leaf the same value can be swapped in any answer set without changing any condition, hence
 * without changing the decision. This test derives those classes from the configuration: for each
 * question it evaluates every leaf on every single answer (every code and "skipped"; for a
 * multi-answer question every subset of its codes, which covers "only membership of specific codes
 * is read") and keeps one answer per distinct vector of leaf values. The product of the classes
 * over the questions shown to the role is then every decision the engine can make for that role.
 * Questions not shown to the role are ignored by the engine ({@code visibleOnly}), and their
 * visibility depends on the role only.
 *
 * <p><b>Time.</b> The engine reads the clock and the staffing only through each help point's {@link
 * Availability}; every distinct ranking is decided at each of the 168 hours for "nothing staffed"
 * and "every queue staffed", and for the other staffing sets once per group of hours with the same
 * lines open. A failure prints the role, the answers, the staffing and the clock time.
 */
@DisplayName(
    "Rule N1: no dead ends, for every answer the rules read, per role, at every hour of the week")
class NoDeadEndsPropertyTest {

  private static final RoutingEngine ENGINE = RoutingEngine.withDefaults();
  private static final RoutingConfig CONFIG = ENGINE.config();

  /** Monday 7 December 2026, 00:00 in the Netherlands. */
  private static final ZonedDateTime WEEK =
      ZonedDateTime.of(2026, 12, 7, 0, 0, 0, 0, OpeningHours.ZONE);

  /** Stands for "skipped" (no answer) in the class lists. */
  private static final Object SKIPPED = "(skipped)";

  // -------------------------------------------------------------------------------------------
  // what is read

  /**
   * Every condition the engine's ranking evaluates on answers to decide which help points it
   * offers, under which rule and at which priority (rules: condition, target, priority, also-offer
   * {@code when}; the priority floors), plus its fixed reads (Q0 = yes, talk-now). The {@code why}
   * cases only choose a text and are left out: no check here reads texts ({@code WhyBulletsTest}
   * and the config tests do). The questionnaire's {@code showIf} decides which answers are kept at
   * all; it reads the role only ({@link #checkShowIfReadsRoleOnly}).
   */
  static List<Condition> conditionsRead() {
    return layout().conditions();
  }

  /**
   * Where a rule's reads are in {@link Layout#conditions}: its condition, its target/priority
   * cases, also-offers.
   */
  record RuleReads(String id, int condition, int[] cases, int[] also, boolean fallback) {}

  /**
   * The conditions the ranking reads, by rule; {@code always}: floors and fixed reads, read for
   * every answer set.
   */
  record Layout(List<Condition> conditions, List<RuleReads> rules, int[] always) {}

  static Layout layout() {
    List<Condition> out = new ArrayList<>();
    List<RuleReads> rules = new ArrayList<>();
    for (Rule r : CONFIG.rules().rules()) {
      if (r.trigger() != Rule.Trigger.INTAKE) {
        continue; // counselor rules (U1) never look at intake answers
      }
      int condition = out.size();
      add(out, r.condition());
      int from = out.size();
      choices(out, r.target());
      choices(out, r.priority());
      int[] cases = java.util.stream.IntStream.range(from, out.size()).toArray();
      from = out.size();
      for (Rule.AlsoOffer ao : r.alsoOffer()) {
        add(out, ao.when());
      }
      int[] also = java.util.stream.IntStream.range(from, out.size()).toArray();
      assertTrue(
          condition < out.size() && out.get(condition) == r.condition(),
          r.id() + " has no condition");
      rules.add(new RuleReads(r.id(), condition, cases, also, r.fallback()));
    }
    int from = out.size();
    CONFIG.rules().floors().forEach(f -> add(out, f.when()));
    // The engine's fixed reads outside the configuration: Q0 = yes makes the decision an emergency
    // (U0), and
    // talk-now keeps general triage among the suggestions.
    out.add(new Condition.AnswerIn(IntakeCodes.DANGER_QUESTION, Set.of(IntakeCodes.DANGER_YES)));
    out.add(new Condition.TalkNow());
    return new Layout(
        List.copyOf(out),
        List.copyOf(rules),
        java.util.stream.IntStream.range(from, out.size()).toArray());
  }

  private static void add(List<Condition> out, Condition c) {
    if (c != null) {
      out.add(c);
    }
  }

  private static void choices(List<Condition> out, Choice<?> choice) {
    if (choice != null) {
      choice.cases().forEach(c -> add(out, c.when()));
    }
  }

  /**
   * The leaves of a condition: the predicates that read answers. {@code matched} and {@code
   * noOtherRouteAt} read other rules' conditions and priorities, which are collected on their own.
   */
  static void atoms(Condition c, Set<Condition> out) {
    if (c instanceof Condition.All all) {
      all.children().forEach(x -> atoms(x, out));
    } else if (c instanceof Condition.Any any) {
      any.children().forEach(x -> atoms(x, out));
    } else if (c instanceof Condition.Not not) {
      atoms(not.child(), out);
    } else if (c instanceof Condition.Matched || c instanceof Condition.NoOtherRouteAt) {
      return;
    } else if (c instanceof Condition.AnswerIn
        || c instanceof Condition.ContainsAny
        || c instanceof Condition.Answered
        || c instanceof Condition.TalkNow
        || c instanceof Condition.AgeIn
        || c instanceof Condition.AskerAgeIn
        || c instanceof Condition.Shown) {
      out.add(c);
    } else {
      fail(
          "a condition type this test cannot classify: "
              + c
              + " (teach atoms() which answer it reads)");
    }
  }

  static List<Condition> allAtoms() {
    Set<Condition> atoms = new java.util.LinkedHashSet<>();
    conditionsRead().forEach(c -> atoms(c, atoms));
    return List.copyOf(atoms);
  }

  /** An evaluation context for leaves only (they never ask for other rules). */
  static EvalContext leafContext(Answers answers) {
    Questionnaire qn = CONFIG.questionnaire();
    Optional<AgeBand> age = qn.ageBand(answers);
    Optional<AgeBand> asker = qn.askerAgeBand(answers);
    return new EvalContext() {
      public Answers answers() {
        return answers;
      }

      public Optional<AgeBand> age() {
        return age;
      }

      public Optional<AgeBand> askerAge() {
        return asker;
      }

      public boolean shown(String questionId) {
        return qn.question(questionId).map(q -> qn.isVisible(q, answers)).orElse(true);
      }

      public boolean matched(String ruleId) {
        throw new IllegalStateException("a leaf asked for a rule");
      }

      public boolean noOtherRouteAt(Priority priority) {
        throw new IllegalStateException("a leaf asked for a rule");
      }
    };
  }

  /**
   * A condition evaluated on the leaf values of an answer set (bit i = atom i), {@code noOther} =
   * R20's input.
   */
  interface Compiled {
    boolean test(long leaves, boolean noOther);
  }

  /**
   * Compiles a condition to a function of its leaf values. All/Any/Not are the boolean operators of
   * {@link Condition}; {@code matched} is the referenced intake rule's condition; {@code
   * noOtherRouteAt} is left open as a parameter: its value depends only on which routed rules
   * matched and at which priority, and those are themselves conditions in the key ({@link
   * #checkNoOtherRouteAtOnlyInFallback}).
   */
  static Compiled compile(Condition c, List<Condition> atoms) {
    if (c instanceof Condition.All all) {
      Compiled[] kids =
          all.children().stream().map(x -> compile(x, atoms)).toArray(Compiled[]::new);
      return (l, n) -> {
        for (Compiled k : kids) {
          if (!k.test(l, n)) {
            return false;
          }
        }
        return true;
      };
    }
    if (c instanceof Condition.Any any) {
      Compiled[] kids =
          any.children().stream().map(x -> compile(x, atoms)).toArray(Compiled[]::new);
      return anyOf(kids);
    }
    if (c instanceof Condition.Not not) {
      Compiled kid = compile(not.child(), atoms);
      return (l, n) -> !kid.test(l, n);
    }
    if (c instanceof Condition.NoOtherRouteAt) {
      return (l, n) -> n;
    }
    if (c instanceof Condition.Matched m) {
      Compiled[] rules =
          m.ruleIds().stream()
              .map(id -> CONFIG.rules().rule(id).orElseThrow())
              .filter(r -> r.trigger() == Rule.Trigger.INTAKE)
              .map(r -> compile(r.condition(), atoms))
              .toArray(Compiled[]::new);
      return anyOf(rules);
    }
    int bit = atoms.indexOf(c);
    assertTrue(bit >= 0 && bit < 64, "leaf " + c + " not among the atoms (or more than 64 leaves)");
    long mask = 1L << bit;
    return (l, n) -> (l & mask) != 0;
  }

  private static Compiled anyOf(Compiled[] kids) {
    return (l, n) -> {
      for (Compiled k : kids) {
        if (k.test(l, n)) {
          return true;
        }
      }
      return false;
    };
  }

  /**
   * {@code noOtherRouteAt} may only appear in the fallback rule: then every routed rule's match and
   * priority are conditions without it, so its value is a function of the rest of the key.
   */
  static void checkNoOtherRouteAtOnlyInFallback() {
    for (Rule r : CONFIG.rules().rules()) {
      if (r.fallback()) {
        continue;
      }
      List<Condition> own = new ArrayList<>();
      add(own, r.condition());
      choices(own, r.target());
      choices(own, r.priority());
      for (Condition c : own) {
        assertTrue(
            !mentionsNoOtherRoute(c),
            r.id()
                + " uses noOtherRouteAt: the key argument needs it only in "
                + "the fallback rule");
      }
    }
    CONFIG
        .rules()
        .floors()
        .forEach(f -> assertTrue(!mentionsNoOtherRoute(f.when()), "a floor uses noOtherRouteAt"));
  }

  private static boolean mentionsNoOtherRoute(Condition c) {
    if (c instanceof Condition.NoOtherRouteAt) {
      return true;
    }
    if (c instanceof Condition.All all) {
      return all.children().stream().anyMatch(NoDeadEndsPropertyTest::mentionsNoOtherRoute);
    }
    if (c instanceof Condition.Any any) {
      return any.children().stream().anyMatch(NoDeadEndsPropertyTest::mentionsNoOtherRoute);
    }
    if (c instanceof Condition.Not not) {
      return mentionsNoOtherRoute(not.child());
    }
    if (c instanceof Condition.Matched m) {
      return m.ruleIds().stream()
          .map(id -> CONFIG.rules().rule(id).orElseThrow())
          .anyMatch(r -> r.condition() != null && mentionsNoOtherRoute(r.condition()));
    }
    return false;
  }

  // ------------------------------------------------------------------------------------------- the
  // classes

  /**
   * One class of answers to a question: its representative, the answers it stands for, its leaf
   * values.
   */
  record AnswerClass(Object answer, List<Object> members, long leaves) {}

  static List<String> roles() {
    List<String> roles = new ArrayList<>(IntakeCodes.question(IntakeCodes.ROLE_QUESTION).codes());
    roles.add(null); // Q1 skipped
    return roles;
  }

  static Map<String, Object> base(String role) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (role != null) {
      m.put(IntakeCodes.ROLE_QUESTION, role);
    }
    return m;
  }

  /** The questions (other than the role) whose answers the engine keeps for this role. */
  static List<String> shownQuestions(String role) {
    Answers roleOnly = Answers.parse(base(role));
    Questionnaire qn = CONFIG.questionnaire();
    return IntakeCodes.questions().keySet().stream()
        .filter(q -> !q.equals(IntakeCodes.ROLE_QUESTION))
        .filter(q -> qn.question(q).map(x -> qn.isVisible(x, roleOnly)).orElse(true))
        .toList();
  }

  /**
   * Every possible answer to a question: skipped, each code, or (multi-answer) each non-empty
   * subset of codes.
   */
  static List<Object> possibleAnswers(String question) {
    IntakeCodes.QuestionSpec spec = IntakeCodes.question(question);
    List<Object> out = new ArrayList<>();
    out.add(SKIPPED);
    if (spec.type() == IntakeCodes.Type.SINGLE) {
      out.addAll(spec.codes());
      return out;
    }
    int n = spec.codes().size();
    List<List<String>> subsets = new ArrayList<>();
    for (int mask = 1; mask < (1 << n); mask++) {
      List<String> s = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if ((mask & (1 << i)) != 0) {
          s.add(spec.codes().get(i));
        }
      }
      subsets.add(s);
    }
    subsets.sort(
        java.util.Comparator.comparingInt(List::size)); // smallest representative per class
    out.addAll(subsets);
    return out;
  }

  /**
   * The answers to one question that the engine can tell apart for this role (one per vector of
   * leaf values).
   */
  static List<AnswerClass> classes(String role, String question, List<Condition> atoms) {
    Map<Long, AnswerClass> byVector = new LinkedHashMap<>();
    for (Object answer : possibleAnswers(question)) {
      long vector = leaves(role, question, answer, atoms);
      byVector
          .computeIfAbsent(vector, v -> new AnswerClass(answer, new ArrayList<>(), v))
          .members()
          .add(answer);
    }
    return List.copyOf(byVector.values());
  }

  /** The leaf values of an answer set holding only the role and this one answer. */
  static long leaves(String role, String question, Object answer, List<Condition> atoms) {
    Map<String, Object> m = base(role);
    if (answer != SKIPPED) {
      m.put(question, answer);
    }
    EvalContext ctx = leafContext(Answers.parse(m));
    long vector = 0;
    for (int i = 0; i < atoms.size(); i++) {
      if (atoms.get(i).test(ctx)) {
        vector |= 1L << i;
      }
    }
    return vector;
  }

  // ------------------------------------------------------------------------------------------- the
  // moments

  /**
   * One moment class: every (staffing, clock time) under which each help point has the same lines
   * open now. The properties checked here read the moment only through that (reachable now or not,
   * which lines), so the engine is run at the first member of each class; a failure names it and
   * how many others share it.
   */
  record World(List<String> members, Reachability reach, Set<String> reachable) {
    World(List<String> members, Reachability reach) {
      this(
          members,
          reach,
          CONFIG.helpPoints().byId().values().stream()
              .filter(h -> Availability.of(h, reach).reachableNow())
              .map(HelpPoint::id)
              .collect(Collectors.toSet()));
    }

    /** Which of these help points are reachable now in this moment class. */
    String reachableAmong(Set<String> helpPoints) {
      StringBuilder b = new StringBuilder();
      for (String id : helpPoints) {
        b.append(reachable.contains(id) ? '1' : '0');
      }
      return b.toString();
    }

    String describe() {
      return members.get(0)
          + (members.size() > 1
              ? " (and "
                  + (members.size() - 1)
                  + " more moments with the same lines open, e.g. "
                  + members.get(members.size() - 1)
                  + ")"
              : "");
    }
  }

  static Set<String> queues() {
    return CONFIG.helpPoints().byId().values().stream()
        .filter(h -> h.kind() == HelpPoint.Kind.QUEUE)
        .map(HelpPoint::id)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * Every set of staffed queues (nothing staffed first) at each of the 168 hours of a week, in
   * moment classes.
   */
  static List<World> worlds() {
    List<String> queues = List.copyOf(queues());
    Map<String, World> classes = new LinkedHashMap<>();
    for (int mask = 0; mask < (1 << queues.size()); mask++) {
      Set<String> staffed = new TreeSet<>();
      for (int i = 0; i < queues.size(); i++) {
        if ((mask & (1 << i)) != 0) {
          staffed.add(queues.get(i));
        }
      }
      String name =
          staffed.isEmpty()
              ? "nothing staffed"
              : staffed.size() == queues.size() ? "every queue staffed" : "staffed " + staffed;
      for (int h = 0; h < 168; h++) {
        ZonedDateTime t = WEEK.plusHours(h);
        Reachability r = new Reachability(t.toInstant(), staffed);
        StringBuilder key = new StringBuilder();
        for (HelpPoint hp : CONFIG.helpPoints().byId().values()) {
          key.append('|').append(hp.id()).append(Availability.of(hp, r).openNow());
        }
        classes
            .computeIfAbsent(key.toString(), k -> new World(new ArrayList<>(), r))
            .members()
            .add(name + " at " + t);
      }
    }
    return List.copyOf(classes.values());
  }

  // ------------------------------------------------------------------------------------------- the
  // property

  @Test
  @DisplayName(
      "every role, every answer class the rules can tell apart, every hour of the week, any staffing: a "
          + "free option open now, also when a chosen suggestion cannot be reached")
  void noDeadEnds() {
    long started = System.nanoTime();
    List<Condition> atoms = allAtoms();
    checkShowIfReadsRoleOnly();
    checkNoOtherRouteAtOnlyInFallback();
    Layout layout = layout();
    List<Condition> read = layout.conditions();
    Compiled[] compiled = read.stream().map(c -> compile(c, atoms)).toArray(Compiled[]::new);
    boolean[] open = new boolean[read.size()];
    int bits = 0;
    for (int i = 0; i < read.size(); i++) {
      open[i] = mentionsNoOtherRoute(read.get(i));
      bits += open[i] ? 2 : 1;
    }
    assertTrue(bits <= 64, "more than 64 condition values: widen the key");
    for (RuleReads r : layout.rules()) {
      java.util.stream.IntStream.concat(
              java.util.Arrays.stream(r.cases()), java.util.Arrays.stream(r.also()))
          .forEach(i -> assertTrue(!open[i], r.id() + ": noOtherRouteAt outside a rule condition"));
    }
    List<World> worlds = worlds();
    long answerSets = 0;
    long keys = 0;
    long decisions = 0;
    StringBuilder report = new StringBuilder();
    for (String role : roles()) {
      Dims dims = dims(role, atoms);
      answerSets += dims.combinations();
      report
          .append(role == null ? "(Q1 skipped)" : role)
          .append(": ")
          .append(dims.describe())
          .append("; ");
      // Stage 1 (cheap): the value of every condition the ranking reads, from the leaf values of
      // each answer
      // set; one answer set per distinct vector of condition values.
      Map<Long, Long> firstOfKey = new ConcurrentHashMap<>();
      LongStream.range(0, dims.combinations())
          .parallel()
          .forEach(
              index ->
                  firstOfKey.putIfAbsent(key(compiled, open, layout, dims.leaves(index)), index));
      keys += firstOfKey.size();
      long classified = (System.nanoTime() - started) / 1_000_000;
      // Stage 2: the real engine ranks one answer set per key; rankings do not depend on the
      // moment, so each
      // distinct ranking is then decided once per moment.
      Map<Long, RoutingEngine.Ranking> rankingOfKey = new ConcurrentHashMap<>();
      firstOfKey.entrySet().parallelStream()
          .forEach(
              e ->
                  rankingOfKey.put(
                      e.getKey(), ENGINE.rank(Answers.parse(dims.answers(e.getValue())))));
      Map<Long, Shape> shapeOfKey = new java.util.HashMap<>();
      rankingOfKey.forEach((key, ranking) -> shapeOfKey.put(key, Shape.of(ranking)));
      // The key argument, tested: answer sets spread over the whole product are offered exactly
      // what their
      // class's representative is offered.
      long step = Math.max(1, dims.combinations() / 2_000);
      LongStream.iterate(0, i -> i < dims.combinations(), i -> i + step)
          .parallel()
          .forEach(
              index -> {
                Shape expected = shapeOfKey.get(key(compiled, open, layout, dims.leaves(index)));
                Shape actual = Shape.of(ENGINE.rank(Answers.parse(dims.answers(index))));
                assertEquals(
                    expected,
                    actual,
                    "answers " + dims.answers(index) + " rank differently from their class");
              });
      Map<Shape, Map<String, Object>> rankings = new LinkedHashMap<>();
      Map<Shape, RoutingEngine.Ranking> rankingOf = new LinkedHashMap<>();
      firstOfKey.forEach(
          (key, index) -> {
            if (rankings.putIfAbsent(shapeOfKey.get(key), dims.answers(index)) == null) {
              rankingOf.put(shapeOfKey.get(key), rankingOfKey.get(key));
            }
          });
      // The checks read a moment only through which of the ranking's help points (and N1's fallback
      // lines) are
      // reachable now: each ranking is decided once per distinct pattern of those. Moments outer:
      // the engine
      // memoises availability per moment.
      Set<String> seen = new java.util.HashSet<>();
      Map<Shape, Set<String>> shown = new java.util.HashMap<>();
      rankings.keySet().forEach(shape -> shown.put(shape, shape.helpPoints()));
      List<Shape> order = new ArrayList<>(rankings.keySet());
      for (World w : worlds) {
        for (int si = 0; si < order.size(); si++) {
          Shape shape = order.get(si);
          Map.Entry<Shape, Map<String, Object>> e = Map.entry(shape, rankings.get(shape));
          if (seen.add(si + "|" + w.reachableAmong(shown.get(shape)))) {
            decisions++;
            check(role, rankingOf.get(e.getKey()), e.getValue(), w);
          }
        }
      }
      report
          .append(firstOfKey.size())
          .append(" condition classes, ")
          .append(rankings.size())
          .append(" rankings, classified at ")
          .append(classified)
          .append(" ms, done at ")
          .append((System.nanoTime() - started) / 1_000_000)
          .append(" ms; ");
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    long cpuMillis =
        ((com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime()
            / 1_000_000;
    System.out.println(
        "N1 exhaustive: "
            + answerSets
            + " answer sets in "
            + keys
            + " classes, "
            + decisions
            + " decisions over "
            + worlds.size()
            + " moment classes, "
            + millis
            + " ms (process CPU so far "
            + cpuMillis
            + " ms); per role: "
            + report);
    assertTrue(answerSets > 1_000_000 && decisions > 0, report.toString());
  }

  /**
   * The condition values of an answer set that the ranking can use, one bit each (a condition with
   * R20's open input, {@code open}, gets two: its value with that input false and true). The
   * ranking skips a rule whose condition does not hold, so that rule's target, priority and
   * also-offer values are left at 0 then; the fallback rule's are always kept (it is added when
   * nothing else routes, whatever its condition).
   */
  static long key(Compiled[] c, boolean[] open, Layout layout, long leaves) {
    long key = 0;
    int bit = 0;
    for (int i : layout.always()) {
      if (c[i].test(leaves, false)) {
        key |= 1L << bit;
      }
      bit++;
    }
    for (RuleReads r : layout.rules()) {
      boolean matched = c[r.condition()].test(leaves, false);
      if (matched) {
        key |= 1L << bit;
      }
      bit++;
      if (open[r.condition()]) {
        boolean matchedIfNoOther = c[r.condition()].test(leaves, true);
        matched |= matchedIfNoOther;
        if (matchedIfNoOther) {
          key |= 1L << bit;
        }
        bit++;
      }
      for (int[] part : new int[][] {r.cases(), r.also()}) {
        for (int i : part) {
          if ((matched || r.fallback()) && c[i].test(leaves, false)) {
            key |= 1L << bit;
          }
          bit++;
        }
      }
    }
    return key;
  }

  /**
   * What the checks read of a ranking: per suggestion and also-offer its help point, rule and
   * priority (the engine orders, cuts and completes by these; availability and cost follow from the
   * help point), and the emergency flag. Texts are left out.
   */
  record Shape(List<String> selected, List<String> also, boolean emergency) {
    static Shape of(RoutingEngine.Ranking r) {
      return new Shape(
          r.selected().stream().map(Shape::item).toList(),
          r.also().stream().map(Shape::item).toList(),
          r.emergency());
    }

    private static String item(Suggestion s) {
      return s.helpPoint() + "/" + s.rule() + "/" + s.priority();
    }

    /** The help points a decision of this ranking can show: its own and N1's fallback lines. */
    Set<String> helpPoints() {
      Set<String> out = new TreeSet<>(CONFIG.rules().noDeadEnds().fallback());
      java.util.stream.Stream.concat(selected.stream(), also.stream())
          .forEach(i -> out.add(i.split("/")[0]));
      return out;
    }
  }

  /** The answer classes of one role as a mixed-radix product (talk-now is the lowest digit). */
  record Dims(
      String role,
      List<String> questions,
      List<List<AnswerClass>> classes,
      long talkLeaves,
      long combinations) {

    Map<String, Object> answers(long index) {
      Map<String, Object> m = base(role);
      if (index % 2 == 1) {
        m.put(IntakeCodes.TALK_NOW, true);
      }
      long rest = index / 2;
      for (int i = 0; i < classes.size(); i++) {
        List<AnswerClass> c = classes.get(i);
        Object answer = c.get((int) (rest % c.size())).answer();
        rest /= c.size();
        if (answer != SKIPPED) {
          m.put(questions.get(i), answer);
        }
      }
      return m;
    }

    /**
     * The leaf values of the answer set: each leaf reads one answer, so the per-answer values add
     * up.
     */
    long leaves(long index) {
      long out = index % 2 == 1 ? talkLeaves : 0;
      long rest = index / 2;
      for (List<AnswerClass> c : classes) {
        out |= c.get((int) (rest % c.size())).leaves();
        rest /= c.size();
      }
      return out;
    }

    String describe() {
      StringBuilder b = new StringBuilder().append(combinations).append(" = ");
      for (int i = 0; i < classes.size(); i++) {
        b.append(questions.get(i)).append(' ').append(classes.get(i).size()).append(" x ");
      }
      return b.append("talk-now 2").toString();
    }
  }

  static Dims dims(String role, List<Condition> atoms) {
    List<String> questions = new ArrayList<>();
    List<List<AnswerClass>> classes = new ArrayList<>();
    long background = leaves(role, IntakeCodes.DANGER_QUESTION, SKIPPED, atoms);
    long combinations = 2;
    long[] owner = new long[atoms.size()];
    java.util.Arrays.fill(owner, -1);
    for (String q : shownQuestions(role)) {
      List<AnswerClass> cls = classes(role, q, atoms);
      // Each leaf may vary with one question only (else the per-answer values would not add up).
      for (AnswerClass c : cls) {
        long varies = c.leaves() ^ background;
        assertEquals(
            0, background & ~c.leaves(), "a leaf true with nothing answered turned false by " + q);
        for (int i = 0; i < atoms.size(); i++) {
          if ((varies & (1L << i)) != 0) {
            int qi = IntakeCodes.questions().keySet().stream().toList().indexOf(q);
            assertTrue(
                owner[i] == -1 || owner[i] == qi, "leaf " + atoms.get(i) + " reads two answers");
            owner[i] = qi;
          }
        }
      }
      // A question whose answers all read alike adds nothing: it stays as its first class
      // (skipped).
      if (cls.size() > 1) {
        questions.add(q);
        classes.add(cls);
        combinations *= cls.size();
      }
    }
    Map<String, Object> talk = base(role);
    talk.put(IntakeCodes.TALK_NOW, true);
    EvalContext ctx = leafContext(Answers.parse(talk));
    long talkLeaves = 0;
    for (int i = 0; i < atoms.size(); i++) {
      if (atoms.get(i).test(ctx)) {
        talkLeaves |= 1L << i;
      }
    }
    return new Dims(role, questions, classes, talkLeaves, combinations);
  }

  private static void check(
      String role, RoutingEngine.Ranking ranking, Map<String, Object> answers, World w) {
    Decision d = ENGINE.decide(ranking, w.reach());
    String where =
        "role "
            + (role == null ? "(skipped)" : role)
            + ", answers "
            + answers
            + ", "
            + w.describe();
    if (d.suggestions().isEmpty() || d.suggestions().size() > RoutingEngine.MAX_SUGGESTIONS) {
      fail("wrong number of suggestions for " + where + ": " + d.suggestions());
    }
    if (d.suggestions().stream().noneMatch(Suggestion::reachableAndFree)) {
      fail("dead end for " + where + ": " + d.suggestions());
    }
    if (d.suggestions().stream()
        .allMatch(s -> CONFIG.helpPoints().get(s.helpPoint()).supplement())) {
      fail("a supplement card stands alone for " + where + ": " + d.suggestions());
    }
    for (Suggestion s : d.suggestions()) {
      if (!s.availability().reachableNow()) {
        ClosedChoice closed = ENGINE.whenUnavailable(d, s.helpPoint(), w.reach());
        if (closed.openNow().stream().noneMatch(Suggestion::reachableAndFree)) {
          fail("choosing " + s.helpPoint() + " is a dead end for " + where + ": " + closed);
        }
      }
    }
  }

  /**
   * The exhaustiveness argument needs every leaf to read at most one answer besides the role:
   * {@code shown} must depend on the role only (the questionnaire's {@code showIf} reads Q1 and
   * nothing else).
   */
  private static void checkShowIfReadsRoleOnly() {
    for (Questionnaire.Question q : CONFIG.questionnaire().questions()) {
      if (q.showIf() == null) {
        continue;
      }
      Set<Condition> leaves = new java.util.LinkedHashSet<>();
      atoms(q.showIf(), leaves);
      for (Condition leaf : leaves) {
        assertTrue(
            leaf instanceof Condition.AnswerIn a && a.question().equals(IntakeCodes.ROLE_QUESTION),
            "showIf of "
                + q.id()
                + " reads more than the role ("
                + leaf
                + "): visibility is then no "
                + "longer a function of the role and this test must enumerate it jointly");
      }
    }
  }

  @Test
  @DisplayName(
      "the derived classes split exactly where the rules read: every code in one class, 'today' and "
          + "'1-7 days' together, 'physical' alone, and a leaf that reads nothing merges a whole question")
  void classesFollowTheRules() {
    List<Condition> atoms = allAtoms();
    for (String role : roles()) {
      for (String q : shownQuestions(role)) {
        List<AnswerClass> cls = classes(role, q, atoms);
        assertEquals(
            possibleAnswers(q).size(),
            cls.stream().mapToInt(c -> c.members().size()).sum(),
            "every answer of " + q + " is in exactly one class");
      }
    }
    List<AnswerClass> q3 = classes("victim", "Q3", atoms);
    assertTrue(
        q3.stream().anyMatch(c -> c.members().containsAll(List.of("today", "week"))),
        "the rules read Q3 'today' and 'week' only together: " + q3);
    List<AnswerClass> q4 = classes("victim", "Q4", atoms);
    assertTrue(
        q4.stream().anyMatch(c -> c.members().equals(List.of(List.of("physical")))),
        "Q4 physical alone is its own class (R1, R9, R12, R16 read it): " + q4);
    // Q6 ("do you know the person") is read by no rule: one class, represented by "skipped".
    assertEquals(1, classes("victim", "Q6", atoms).size());
    assertEquals(SKIPPED, classes("victim", "Q6", atoms).get(0).answer());
    // The asker's age is read for a relative (QA) but not for a professional (the client's age is
    // Q2).
    assertTrue(classes("relative", "QA", atoms).size() > 1);
    assertTrue(!shownQuestions("professional").contains("QA"));
    List<World> worlds = worlds();
    assertEquals(
        (1 << queues().size()) * 168, worlds.stream().mapToInt(w -> w.members().size()).sum());
    assertEquals(
        168,
        worlds.stream()
            .flatMap(w -> w.members().stream())
            .filter(m -> m.startsWith("nothing staffed at "))
            .distinct()
            .count());
  }
}
