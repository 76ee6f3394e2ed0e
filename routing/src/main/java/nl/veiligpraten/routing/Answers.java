package nl.veiligpraten.routing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Validated intake answers. Immutable.
 *
 * <p>A missing key (or a JSON {@code null}, or an empty list) means the question was skipped: every
 * question is optional (brief §2, trauma-sensitive). Multi-answer questions are stored as sets in
 * contract order, so the same selection always yields the same object regardless of the order the
 * client sent.
 */
public final class Answers {

  private static final Answers EMPTY = new Answers(Map.of(), Map.of(), false);

  private final Map<String, String> single;
  private final Map<String, Set<String>> multi;
  private final boolean talkNow;

  private Answers(Map<String, String> single, Map<String, Set<String>> multi, boolean talkNow) {
    this.single = Collections.unmodifiableMap(new TreeMap<>(single));
    this.multi = Collections.unmodifiableMap(new TreeMap<>(multi));
    this.talkNow = talkNow;
  }

  /** No answers at all (everything skipped, no talk-now). */
  public static Answers empty() {
    return EMPTY;
  }

  /**
   * Validates a raw map, e.g. from JSON: keys are question ids from {@link IntakeCodes} or {@link
   * IntakeCodes#TALK_NOW}; single questions take a string code, multi questions a list of codes.
   *
   * <p>Unknown question ids are ignored.
   *
   * @throws InvalidAnswersException on an unknown code, a wrong type, or a list where one code is
   *     expected (and vice versa)
   */
  public static Answers parse(Map<String, ?> raw) {
    if (raw == null || raw.isEmpty()) {
      return EMPTY;
    }
    Map<String, String> single = new LinkedHashMap<>();
    Map<String, Set<String>> multi = new LinkedHashMap<>();
    boolean talkNow = false;
    for (Map.Entry<String, ?> e : raw.entrySet()) {
      String key = e.getKey();
      Object value = e.getValue();
      if (IntakeCodes.TALK_NOW.equals(key)) {
        if (value == null) {
          continue;
        }
        if (!(value instanceof Boolean b)) {
          throw new InvalidAnswersException(
              key,
              List.of("true", "false"),
              "'" + key + "' must be true or false, got " + describe(value));
        }
        talkNow = b;
        continue;
      }
      IntakeCodes.QuestionSpec spec = IntakeCodes.question(key);
      if (spec == null) {
        // Unknown question ids are ignored (an older or newer page may send a question this version
        // does not know); unknown answer codes of known questions are refused below.
        continue;
      }
      if (value == null) {
        continue; // explicit null = skipped
      }
      if (spec.type() == IntakeCodes.Type.SINGLE) {
        if (value instanceof List<?>) {
          throw new InvalidAnswersException(
              key, spec.codes(), key + " takes one answer, not a list; allowed: " + spec.codes());
        }
        if (!(value instanceof String code)) {
          throw new InvalidAnswersException(
              key,
              spec.codes(),
              key + " must be a text code, got " + describe(value) + "; allowed: " + spec.codes());
        }
        checkCode(spec, code);
        single.put(key, code);
      } else {
        if (!(value instanceof List<?> list)) {
          throw new InvalidAnswersException(
              key,
              spec.codes(),
              key
                  + " takes a list of answers (e.g. [\""
                  + spec.codes().get(0)
                  + "\"]), got "
                  + describe(value)
                  + "; allowed: "
                  + spec.codes());
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (Object item : list) {
          if (!(item instanceof String code)) {
            throw new InvalidAnswersException(
                key,
                spec.codes(),
                key
                    + " list items must be text codes, got "
                    + describe(item)
                    + "; allowed: "
                    + spec.codes());
          }
          checkCode(spec, code);
          chosen.add(code);
        }
        if (!chosen.isEmpty()) {
          // contract order, so equal selections compare equal
          Set<String> ordered = new LinkedHashSet<>();
          for (String c : spec.codes()) {
            if (chosen.contains(c)) {
              ordered.add(c);
            }
          }
          multi.put(key, Collections.unmodifiableSet(ordered));
        }
      }
    }
    return new Answers(single, multi, talkNow);
  }

  private static void checkCode(IntakeCodes.QuestionSpec spec, String code) {
    if (!spec.codes().contains(code)) {
      throw new InvalidAnswersException(
          spec.id(),
          spec.codes(),
          "Unknown answer code '" + code + "' for " + spec.id() + "; allowed: " + spec.codes());
    }
  }

  private static String describe(Object value) {
    if (value instanceof String s) {
      return "text '" + s + "'";
    }
    if (value instanceof List<?>) {
      return "a list";
    }
    if (value instanceof Map<?, ?>) {
      return "an object";
    }
    return value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + value;
  }

  /** These answers with one question removed (as if skipped). */
  public Answers without(String questionId) {
    if (!isAnswered(questionId)) {
      return this;
    }
    Map<String, String> s = new TreeMap<>(single);
    Map<String, Set<String>> m = new TreeMap<>(multi);
    s.remove(questionId);
    m.remove(questionId);
    return new Answers(s, m, talkNow);
  }

  /** The code chosen for a single-answer question, empty when skipped. */
  public Optional<String> single(String questionId) {
    return Optional.ofNullable(single.get(questionId));
  }

  /** The codes chosen for a multi-answer question, empty when skipped. */
  public Set<String> multi(String questionId) {
    return multi.getOrDefault(questionId, Set.of());
  }

  /** Whether the question has an answer (of either kind). */
  public boolean isAnswered(String questionId) {
    return single.containsKey(questionId) || multi.containsKey(questionId);
  }

  /** The visitor pressed "Ik wil meteen met iemand praten". */
  public boolean talkNow() {
    return talkNow;
  }

  /** True when no question was answered (talk-now does not count as an answer). */
  public boolean isEmpty() {
    return single.isEmpty() && multi.isEmpty();
  }

  /** The answers as a plain map that {@link #parse} accepts again (round trip). */
  public Map<String, Object> toMap() {
    Map<String, Object> out = new TreeMap<>();
    out.putAll(single);
    multi.forEach((k, v) -> out.put(k, List.copyOf(v)));
    if (talkNow) {
      out.put(IntakeCodes.TALK_NOW, true);
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Answers a
        && a.single.equals(single)
        && a.multi.equals(multi)
        && a.talkNow == talkNow;
  }

  @Override
  public int hashCode() {
    return Objects.hash(single, multi, talkNow);
  }

  @Override
  public String toString() {
    return "Answers" + toMap();
  }
}
