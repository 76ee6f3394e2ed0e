package nl.veiligpraten.routing.config;

import java.util.List;
import java.util.Objects;

/**
 * The three configuration files as text: what a stored configuration version holds, what an export
 * writes and an import reads. Validated only by {@link RoutingConfig#parse}; this record just
 * carries the text.
 */
public record ConfigTexts(String helpPoints, String questionnaire, String rules) {

  /** The file names, in the order they are exported. */
  public static final List<String> FILES =
      List.of(
          RoutingConfig.HELP_POINTS_FILE,
          RoutingConfig.QUESTIONNAIRE_FILE,
          RoutingConfig.RULES_FILE);

  public ConfigTexts {
    Objects.requireNonNull(helpPoints, "helpPoints");
    Objects.requireNonNull(questionnaire, "questionnaire");
    Objects.requireNonNull(rules, "rules");
  }

  /** The text of one file by its name ({@link #FILES}). */
  public String get(String file) {
    return switch (file) {
      case RoutingConfig.HELP_POINTS_FILE -> helpPoints;
      case RoutingConfig.QUESTIONNAIRE_FILE -> questionnaire;
      case RoutingConfig.RULES_FILE -> rules;
      default -> throw new IllegalArgumentException("unknown configuration file " + file);
    };
  }

  /** A copy with one file replaced. */
  public ConfigTexts with(String file, String text) {
    return switch (file) {
      case RoutingConfig.HELP_POINTS_FILE -> new ConfigTexts(text, questionnaire, rules);
      case RoutingConfig.QUESTIONNAIRE_FILE -> new ConfigTexts(helpPoints, text, rules);
      case RoutingConfig.RULES_FILE -> new ConfigTexts(helpPoints, questionnaire, text);
      default -> throw new IllegalArgumentException("unknown configuration file " + file);
    };
  }
}
