package nl.veiligpraten.routing;

import java.util.Optional;
import nl.veiligpraten.routing.config.HelpPoint;
import nl.veiligpraten.routing.config.RoutingConfig;

/**
 * Maps Q2 to an {@link AgeBand} and tests it against the age limits configured in {@code
 * help-points.yaml} (named limits such as {@code adult}, and each help point's ageMin/ageMax). For
 * the console and the client, so they apply the same "certainly within" semantics as the rules: an
 * unknown age is never eligible and never a minor.
 */
public final class AgeBands {

  private final RoutingConfig config;

  public AgeBands(RoutingConfig config) {
    this.config = config;
  }

  /** The band of the person it happened to, empty when Q2 is skipped, unknown or rather not. */
  public Optional<AgeBand> of(Answers answers) {
    return config.questionnaire().ageBand(answers);
  }

  /** The band for a Q2 code, empty for codes without ages. */
  public Optional<AgeBand> of(String q2Code) {
    return config.questionnaire().ageBand(q2Code);
  }

  /** A named limit from {@code ageLimits}, e.g. {@code adult}. */
  public int limit(String name) {
    Integer v = config.helpPoints().ageLimits().get(name);
    if (v == null) {
      throw new IllegalArgumentException("no age limit '" + name + "' in help-points.yaml");
    }
    return v;
  }

  /** Certainly younger than the configured {@code adult} limit. */
  public boolean isMinor(Answers answers, String adultLimitName) {
    int adult = limit(adultLimitName);
    return of(answers).map(b -> b.under(adult)).orElse(false);
  }

  /**
   * Certainly within the help point's configured ageMin/ageMax; true for help points without age
   * limits.
   */
  public boolean isEligible(Answers answers, String helpPointId) {
    HelpPoint hp = config.helpPoints().get(helpPointId);
    if (hp.ageMin() == null && hp.ageMax() == null) {
      return true;
    }
    return of(answers).map(b -> b.within(hp.ageMin(), hp.ageMax())).orElse(false);
  }
}
