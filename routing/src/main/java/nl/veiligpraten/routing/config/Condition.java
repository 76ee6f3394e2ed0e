package nl.veiligpraten.routing.config;

import java.util.List;
import java.util.Set;

/**
 * The small declarative condition language of {@code routing-rules.yaml} (and {@code
 * showIf}/variants in the questionnaire). See README-routing.md for the YAML syntax. Age limits are
 * resolved to numbers at load time from {@code help-points.yaml}, so rules can say {@code
 * ageWithin: sense} instead of repeating Sense's limit.
 */
public sealed interface Condition {

  boolean test(EvalContext ctx);

  /** {@code all: [...]}: every child matches (an empty list matches). */
  record All(List<Condition> children) implements Condition {
    public boolean test(EvalContext ctx) {
      return children.stream().allMatch(c -> c.test(ctx));
    }
  }

  /** {@code any: [...]}: at least one child matches. */
  record Any(List<Condition> children) implements Condition {
    public boolean test(EvalContext ctx) {
      return children.stream().anyMatch(c -> c.test(ctx));
    }
  }

  /** {@code not: cond}. */
  record Not(Condition child) implements Condition {
    public boolean test(EvalContext ctx) {
      return !child.test(ctx);
    }
  }

  /** {@code answer: Q5, in: [home, partner]}: single-answer question has one of the codes. */
  record AnswerIn(String question, Set<String> codes) implements Condition {
    public boolean test(EvalContext ctx) {
      return ctx.answers().single(question).map(codes::contains).orElse(false);
    }
  }

  /**
   * {@code contains: Q4, any: [online, sextortion]}: multi-answer question includes one of the
   * codes.
   */
  record ContainsAny(String question, Set<String> codes) implements Condition {
    public boolean test(EvalContext ctx) {
      return ctx.answers().multi(question).stream().anyMatch(codes::contains);
    }
  }

  /** {@code answered: Q2} (negate with {@code skipped: Q2}). */
  record Answered(String question) implements Condition {
    public boolean test(EvalContext ctx) {
      return ctx.answers().isAnswered(question);
    }
  }

  /** {@code talkNow: true}: the visitor pressed "Ik wil meteen met iemand praten". */
  record TalkNow() implements Condition {
    public boolean test(EvalContext ctx) {
      return ctx.answers().talkNow();
    }
  }

  /**
   * Age predicates: every age in the Q2 band lies in [{@code min}, {@code max}] (null = unbounded).
   * {@code ageUnder: x} is (null, x-1), {@code ageAtMost: x} is (null, x), {@code ageAtLeast: x} is
   * (x, null), {@code ageBetween: [a, b]} is (a, b), {@code ageWithin: helpPoint} uses that help
   * point's ageMin/ageMax. An unknown age never matches.
   */
  record AgeIn(Integer min, Integer max, String written) implements Condition {
    public boolean test(EvalContext ctx) {
      return ctx.age().map(b -> b.within(min, max)).orElse(false);
    }
  }

  /**
   * Asker-age predicates ({@code askerAgeUnder}, {@code askerAgeWithin}): like {@link AgeIn} on the
   * asker's age.
   */
  record AskerAgeIn(Integer min, Integer max, String written) implements Condition {
    public boolean test(EvalContext ctx) {
      return ctx.askerAge().map(b -> b.within(min, max)).orElse(false);
    }
  }

  /**
   * {@code shown: Q3}: the question is shown for these answers (so "skipped" means the person chose
   * to skip).
   */
  record Shown(String question) implements Condition {
    public boolean test(EvalContext ctx) {
      return ctx.shown(question);
    }
  }

  /** {@code noOtherRouteAt: P1}: no other rule with a route matched at P1 or more urgent (R20). */
  record NoOtherRouteAt(nl.veiligpraten.routing.Priority priority) implements Condition {
    public boolean test(EvalContext ctx) {
      return ctx.noOtherRouteAt(priority);
    }
  }

  /**
   * {@code matched: R2} or {@code matched: [R3, R4]}: the condition of (any of) those rules
   * matches.
   */
  record Matched(List<String> ruleIds) implements Condition {
    public boolean test(EvalContext ctx) {
      return ruleIds.stream().anyMatch(ctx::matched);
    }
  }
}
