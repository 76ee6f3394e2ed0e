package nl.veiligpraten.routing.config;

import java.util.List;

/**
 * A value that may depend on the answers: either a plain value or a list of {@code when/then} cases
 * with a final {@code otherwise}. Used for rule priorities (R2: "P1 if Q3 = ongoing and under 18,
 * else P2") and targets (R13).
 */
public record Choice<T>(List<Case<T>> cases) {

  /** One case; {@code when == null} is the {@code otherwise} case. */
  public record Case<T>(Condition when, T value) {}

  public Choice {
    cases = List.copyOf(cases);
  }

  public static <T> Choice<T> of(T value) {
    return new Choice<>(List.of(new Case<>(null, value)));
  }

  /**
   * The value of the first case that matches; the last case is always an otherwise, so this never
   * fails.
   */
  public T resolve(EvalContext ctx) {
    for (Case<T> c : cases) {
      if (c.when() == null || c.when().test(ctx)) {
        return c.value();
      }
    }
    throw new IllegalStateException("choice without otherwise");
  }

  /** The value of the final {@code otherwise} case (the plain value when there are no cases). */
  public T otherwise() {
    return cases.get(cases.size() - 1).value();
  }

  /** Every value this choice can produce. */
  public List<T> values() {
    return cases.stream().map(Case::value).toList();
  }

  static <T> Choice<T> read(
      YamlNode n, ConditionParser conditions, java.util.function.Function<YamlNode, T> value) {
    if (!n.isList()) {
      return of(value.apply(n));
    }
    List<YamlNode> items = n.asList();
    if (items.isEmpty()) {
      throw n.error("needs at least an 'otherwise' case");
    }
    java.util.ArrayList<Case<T>> cases = new java.util.ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      YamlNode c = items.get(i).asMap();
      boolean last = i == items.size() - 1;
      if (c.keys().contains("otherwise")) {
        c.allowOnly("otherwise");
        if (!last) {
          throw c.error("'otherwise' must be the last case");
        }
        cases.add(new Case<>(null, value.apply(c.require("otherwise"))));
      } else {
        c.allowOnly("when", "then");
        if (last) {
          throw c.error("the last case must be 'otherwise: ...' so there is always a value");
        }
        cases.add(new Case<>(conditions.parse(c.require("when")), value.apply(c.require("then"))));
      }
    }
    return new Choice<>(cases);
  }
}
