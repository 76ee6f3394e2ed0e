package nl.veiligpraten.routing.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import nl.veiligpraten.routing.IntakeCodes;

/**
 * Parses conditions from YAML and validates them against the intake contract and the help-point
 * config: unknown question, unknown answer code, single/multi mix-ups and unresolvable age limits
 * are load errors.
 */
final class ConditionParser {

  private final HelpPoints helpPoints;

  /**
   * Receives every {@code matched:} reference so the caller can check that the rule exists; null =
   * forbidden.
   */
  private final BiConsumer<String, YamlNode> ruleRefs;

  ConditionParser(HelpPoints helpPoints, BiConsumer<String, YamlNode> ruleRefs) {
    this.helpPoints = helpPoints;
    this.ruleRefs = ruleRefs;
  }

  Condition parse(YamlNode n) {
    n.asMap();
    Set<String> keys = n.keys();
    if (keys.contains("contains")) {
      n.allowOnly("contains", "any");
      IntakeCodes.QuestionSpec q =
          question(n.require("contains"), IntakeCodes.Type.MULTI, "contains");
      return new Condition.ContainsAny(q.id(), codes(n.require("any"), q));
    }
    if (keys.contains("answer")) {
      n.allowOnly("answer", "in");
      IntakeCodes.QuestionSpec q = question(n.require("answer"), IntakeCodes.Type.SINGLE, "answer");
      return new Condition.AnswerIn(q.id(), codes(n.require("in"), q));
    }
    if (keys.size() != 1) {
      throw n.error(
          "a condition needs exactly one operator (all, any, not, answer+in, contains+any, "
              + "answered, skipped, shown, talkNow, ageUnder, ageAtMost, ageAtLeast, ageBetween, ageWithin, "
              + "askerAgeUnder, askerAgeWithin, matched, noOtherRouteAt); got "
              + keys);
    }
    String op = keys.iterator().next();
    YamlNode v = n.require(op);
    return switch (op) {
      case "all" -> new Condition.All(children(v));
      case "any" -> new Condition.Any(children(v));
      case "not" -> new Condition.Not(parse(v));
      case "answered" -> new Condition.Answered(anyQuestion(v).id());
      case "skipped" -> new Condition.Not(new Condition.Answered(anyQuestion(v).id()));
      case "talkNow" -> {
        if (!v.asBool()) {
          throw v.error("write 'talkNow: true' (use 'not' for the opposite)");
        }
        yield new Condition.TalkNow();
      }
      case "ageUnder" -> new Condition.AgeIn(null, limit(v) - 1, "ageUnder " + v.asText());
      case "ageAtMost" -> new Condition.AgeIn(null, limit(v), "ageAtMost " + v.asText());
      case "ageAtLeast" -> new Condition.AgeIn(limit(v), null, "ageAtLeast " + v.asText());
      case "ageBetween" -> {
        List<YamlNode> bounds = v.asList();
        if (bounds.size() != 2) {
          throw v.error("ageBetween takes [low, high]");
        }
        int lo = limit(bounds.get(0));
        int hi = limit(bounds.get(1));
        if (lo > hi) {
          throw v.error("ageBetween: low bound " + lo + " is above high bound " + hi);
        }
        yield new Condition.AgeIn(lo, hi, "ageBetween " + lo + ".." + hi);
      }
      case "askerAgeUnder" ->
          new Condition.AskerAgeIn(null, limit(v) - 1, "askerAgeUnder " + v.asText());
      case "askerAgeWithin" -> {
        HelpPoint hp = helpPoint(v);
        if (hp.ageMin() == null && hp.ageMax() == null) {
          throw v.error(
              "askerAgeWithin: help point '" + hp.id() + "' has no ageMin or ageMax configured");
        }
        yield new Condition.AskerAgeIn(hp.ageMin(), hp.ageMax(), "askerAgeWithin " + hp.id());
      }
      case "shown" -> new Condition.Shown(anyQuestion(v).id());
      case "noOtherRouteAt" -> {
        if (ruleRefs == null) {
          throw v.error("'noOtherRouteAt' can only be used in routing rules");
        }
        String p = v.asNonBlank();
        try {
          yield new Condition.NoOtherRouteAt(nl.veiligpraten.routing.Priority.valueOf(p));
        } catch (IllegalArgumentException e) {
          throw v.error("priority must be one of P0, P1, P2, P3, got '" + p + "'");
        }
      }
      case "ageWithin" -> {
        HelpPoint hp = helpPoint(v);
        if (hp.ageMin() == null && hp.ageMax() == null) {
          throw v.error(
              "ageWithin: help point '" + hp.id() + "' has no ageMin or ageMax configured");
        }
        yield new Condition.AgeIn(hp.ageMin(), hp.ageMax(), "ageWithin " + hp.id());
      }
      case "matched" -> {
        if (ruleRefs == null) {
          throw v.error("'matched' can only be used in routing rules");
        }
        List<String> ids = new ArrayList<>();
        for (YamlNode item : v.isList() ? v.asList() : List.of(v)) {
          String id = item.asNonBlank();
          ruleRefs.accept(id, item);
          ids.add(id);
        }
        if (ids.isEmpty()) {
          throw v.error("matched needs at least one rule id");
        }
        yield new Condition.Matched(List.copyOf(ids));
      }
      default -> throw n.error("unknown condition operator '" + op + "'");
    };
  }

  private List<Condition> children(YamlNode v) {
    List<Condition> out = new ArrayList<>();
    for (YamlNode c : v.asList()) {
      out.add(parse(c));
    }
    if (out.isEmpty()) {
      throw v.error("needs at least one condition");
    }
    return List.copyOf(out);
  }

  private static IntakeCodes.QuestionSpec anyQuestion(YamlNode v) {
    String id = v.asNonBlank();
    IntakeCodes.QuestionSpec q = IntakeCodes.question(id);
    if (q == null) {
      throw v.error(
          "unknown question '" + id + "' (known: " + IntakeCodes.questions().keySet() + ")");
    }
    return q;
  }

  private static IntakeCodes.QuestionSpec question(YamlNode v, IntakeCodes.Type type, String op) {
    IntakeCodes.QuestionSpec q = anyQuestion(v);
    if (q.type() != type) {
      throw v.error(
          q.id()
              + " is a "
              + q.type().name().toLowerCase(java.util.Locale.ROOT)
              + "-answer question; use "
              + (type == IntakeCodes.Type.SINGLE
                  ? "'contains: " + q.id() + ", any: [...]'"
                  : "'answer: " + q.id() + ", in: [...]'")
              + " instead of '"
              + op
              + "'");
    }
    return q;
  }

  private static Set<String> codes(YamlNode v, IntakeCodes.QuestionSpec q) {
    Set<String> out = new LinkedHashSet<>();
    for (YamlNode c : v.asList()) {
      String code = c.asNonBlank();
      if (!q.codes().contains(code)) {
        throw c.error(
            "unknown answer code '" + code + "' for " + q.id() + " (allowed: " + q.codes() + ")");
      }
      out.add(code);
    }
    if (out.isEmpty()) {
      throw v.error("needs at least one answer code");
    }
    return Set.copyOf(out);
  }

  private HelpPoint helpPoint(YamlNode v) {
    String id = v.asNonBlank();
    return helpPoints.find(id).orElseThrow(() -> v.error("unknown help point '" + id + "'"));
  }

  /**
   * A number, a named limit from {@code ageLimits} (e.g. {@code adult}), or {@code
   * <helpPoint>.ageMin|ageMax}. Resolving here keeps age limits in help-points.yaml only.
   */
  private int limit(YamlNode v) {
    String s = v.asNonBlank();
    if (s.matches("\\d+")) {
      return Integer.parseInt(s);
    }
    Map<String, Integer> named = helpPoints.ageLimits();
    if (named.containsKey(s)) {
      return named.get(s);
    }
    int dot = s.indexOf('.');
    if (dot > 0) {
      String hpId = s.substring(0, dot);
      String field = s.substring(dot + 1);
      HelpPoint hp =
          helpPoints.find(hpId).orElseThrow(() -> v.error("unknown help point '" + hpId + "'"));
      Integer value =
          switch (field) {
            case "ageMin" -> hp.ageMin();
            case "ageMax" -> hp.ageMax();
            default ->
                throw v.error(
                    "only ageMin or ageMax of a help point can be used, got '" + field + "'");
          };
      if (value == null) {
        throw v.error("help point '" + hpId + "' has no " + field + " configured");
      }
      return value;
    }
    throw v.error(
        "unknown age limit '"
            + s
            + "' (a number, a name from ageLimits "
            + named.keySet()
            + ", or <helpPoint>.ageMin / <helpPoint>.ageMax)");
  }
}
