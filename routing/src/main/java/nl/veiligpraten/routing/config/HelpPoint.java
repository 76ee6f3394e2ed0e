package nl.veiligpraten.routing.config;

import java.util.List;
import java.util.Map;
import nl.veiligpraten.routing.Priority;

/**
 * A routing target from {@code help-points.yaml}: an organisation with a counselor queue in this
 * service ({@link Kind#QUEUE}) or a static info card with configured contact data ({@link
 * Kind#CARD}).
 *
 * <p>All contact data, hours and age limits come from configuration; nothing here is a default.
 *
 * @param retentionDays transcript retention for queue organisations, {@code null} for cards
 * @param targetFirstResponseSeconds SLA per priority for queue organisations, empty for cards
 * @param staffedBy for the general triage queue: the organisation whose counselors staff it
 * @param queueCap queue help points: at most this many chats wait in this help point's queue; a
 *     visitor who chooses a full queue is told so before anything is queued
 * @param overflowTo queue help points: the queue offered first when this one is full (the overflow
 *     rule, usually general triage), or {@code null}
 * @param verify field names whose values must be checked by the organisation before go-live
 * @param cost whether contacting it costs the visitor money (0900 numbers: shown on the bill)
 * @param supplement an info card without central contact data (e.g. the employer's confidential
 *     adviser): never shown alone, always next to an option with a phone, chat or queue
 * @param nameEn English name where the organisation has one, otherwise {@code null}
 * @param phoneHours hours of the phone line when they differ from {@code openingHours}
 * @param chatHours hours of the external chat when they differ from {@code openingHours}
 * @param notice a temporary message shown on the help point's card in every language variant, e.g.
 *     a holiday or ad-hoc closure ("Gesloten op 25 en 26 december"), or {@code null}; set and
 *     removed live by the organisation admin (issue 21)
 */
public record HelpPoint(
    String id,
    Kind kind,
    String name,
    LocalizedText description,
    String phone,
    String chatUrl,
    String url,
    OpeningHours openingHours,
    Integer ageMin,
    Integer ageMax,
    Integer retentionDays,
    Map<Priority, Integer> targetFirstResponseSeconds,
    String staffedBy,
    Integer queueCap,
    String overflowTo,
    List<String> verify,
    Cost cost,
    boolean supplement,
    String nameEn,
    OpeningHours phoneHours,
    OpeningHours chatHours,
    LocalizedText notice) {

  /** Whether contacting the help point costs the visitor money. */
  public enum Cost {
    FREE,
    PAID;

    /** Lower-case form used in YAML and JSON. */
    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * The name in a language: English where the organisation has an English name, otherwise the Dutch
   * one.
   */
  public String name(Lang lang) {
    return lang == Lang.EN && nameEn != null ? nameEn : name;
  }

  /** Hours of the phone line ({@code null} = unknown, or no phone). */
  public OpeningHours phoneLineHours() {
    return phone == null ? null : phoneHours != null ? phoneHours : openingHours;
  }

  /** Hours of the external chat ({@code null} = unknown, or no chat). */
  public OpeningHours chatLineHours() {
    return chatUrl == null ? null : chatHours != null ? chatHours : openingHours;
  }

  /**
   * Queue = counselors of the organisation chat in this service; card = static contact information.
   */
  public enum Kind {
    QUEUE,
    CARD;

    /** Lower-case form used in YAML and JSON. */
    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Largest accepted first-response target: a target longer than a day is a typo, not a target. */
  public static final int MAX_TARGET_SECONDS = 86_400;

  /**
   * Largest accepted queue cap: a queue longer than this is a typo, and nobody could be answered in
   * time.
   */
  public static final int MAX_QUEUE_CAP = 10_000;

  public HelpPoint {
    targetFirstResponseSeconds = Map.copyOf(targetFirstResponseSeconds);
    verify = List.copyOf(verify);
  }
}
