package nl.veiligpraten.routing.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nl.veiligpraten.routing.AgeBand;
import nl.veiligpraten.routing.Answers;
import nl.veiligpraten.routing.IntakeCodes;

/**
 * Contents of {@code questionnaire.yaml}: the intake questions with their texts in three variants,
 * visibility ({@code showIf}), text variants (e.g. Q2 for a relative or bystander) and the Q2
 * age-band bounds.
 *
 * @param talkNow label of the always-visible "talk to someone now" button
 * @param skip label of the skip button shown with every question
 * @param consent consent line before a warm handover; contains the placeholder {@code
 *     {organisation}}
 */
public record Questionnaire(
    LocalizedText talkNow, LocalizedText skip, LocalizedText consent, List<Question> questions) {

  /**
   * Placeholder in {@link #consent} that the chat replaces with the receiving organisation's name.
   */
  public static final String ORGANISATION_PLACEHOLDER = "{organisation}";

  /**
   * Words that must never appear in visitor texts: "why" questions feel like blame (brief §2),
   * labels such as "slachtoffer" or "dader" define people by what happened, and gendered pronouns
   * exclude people.
   */
  static final Pattern BANNED =
      Pattern.compile(
          "\\b(waarom|slachtoffers?|daders?|plegers?|why|victims?|perpetrators?|offenders?|hij|hem|zijn\\s+of\\s+haar|he|she|him|his|her)\\b",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  /**
   * The languages {@link #BANNED} is written for. The word list is Dutch and English; applied to
   * Turkish it would refuse "her" (every), so the other languages rely on their native-speaker
   * review ({@code reviewed: false} until then).
   */
  private static final List<Lang> BANNED_CHECKED = List.of(Lang.NL, Lang.NL_EASY, Lang.EN);

  private static final Set<String> AGE_QUESTIONS =
      Set.of(IntakeCodes.AGE_QUESTION, IntakeCodes.ASKER_AGE_QUESTION);
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");

  /** One intake question. */
  public record Question(
      String id,
      IntakeCodes.Type type,
      LocalizedText text,
      Condition showIf,
      List<Variant> variants,
      List<AnswerOption> answers) {}

  /**
   * Alternative question text used when {@code when} matches (first match wins), e.g. the
   * third-person wording for relatives, bystanders and professionals. {@code answers} replaces the
   * texts of some answer codes.
   */
  public record Variant(Condition when, LocalizedText text, Map<String, LocalizedText> answers) {
    public Variant {
      answers = Map.copyOf(answers);
    }
  }

  /** One answer button. {@code ageMin}/{@code ageMax} are only set on Q2 age bands. */
  public record AnswerOption(String code, LocalizedText text, Integer ageMin, Integer ageMax) {}

  public Questionnaire {
    questions = List.copyOf(questions);
  }

  /** The question with this id. */
  public Optional<Question> question(String id) {
    for (Question q : questions) {
      if (q.id().equals(id)) {
        return Optional.of(q);
      }
    }
    return Optional.empty();
  }

  /** Whether the question is shown given the answers so far (e.g. P1 only for Q1 = perpetrator). */
  public boolean isVisible(Question q, Answers answers) {
    return q.showIf() == null || q.showIf().test(context(answers));
  }

  /**
   * The answers with everything removed that belongs to a question not shown for them (brief §4.1
   * v2: "answers to questions that were not shown for the given role are ignored by the rules").
   * Visibility is decided in intake order on the answers kept so far, so a hidden question can
   * never make another one visible.
   */
  public Answers visibleOnly(Answers answers) {
    Answers current = answers;
    for (Question q : questions) {
      if (q.showIf() != null && current.isAnswered(q.id()) && !q.showIf().test(context(current))) {
        current = current.without(q.id());
      }
    }
    return current;
  }

  /**
   * The answer buttons for these answers: texts of the first matching variant replace the default
   * ones.
   */
  public List<AnswerOption> answersFor(Question q, Answers answers) {
    EvalContext ctx = context(answers);
    for (Variant v : q.variants()) {
      if (v.when().test(ctx)) {
        if (v.answers().isEmpty()) {
          return q.answers();
        }
        return q.answers().stream()
            .map(
                a ->
                    v.answers().containsKey(a.code())
                        ? new AnswerOption(
                            a.code(), v.answers().get(a.code()), a.ageMin(), a.ageMax())
                        : a)
            .toList();
      }
    }
    return q.answers();
  }

  /** The questions to show, in order, given the answers so far. */
  public List<Question> visibleQuestions(Answers answers) {
    return questions.stream().filter(q -> isVisible(q, answers)).toList();
  }

  /**
   * The question text for these answers: the first matching variant, otherwise the default text.
   */
  public LocalizedText textFor(Question q, Answers answers) {
    EvalContext ctx = context(answers);
    for (Variant v : q.variants()) {
      if (v.when().test(ctx)) {
        return v.text();
      }
    }
    return q.text();
  }

  /** The Q2 band for these answers; empty when Q2 is skipped, "unknown" or "rather_not". */
  public Optional<AgeBand> ageBand(Answers answers) {
    return answers.single(IntakeCodes.AGE_QUESTION).flatMap(this::ageBand);
  }

  /**
   * The asker's own age (brief §4.2 "asker age"): QA for relatives and bystanders; Q2 when the
   * asker is the person it is about (someone it happened to, someone worried about their own
   * behaviour, or when Q1 is skipped or "rather not"); empty for professionals, whose Q2 is the
   * client's age.
   */
  public Optional<AgeBand> askerAgeBand(Answers answers) {
    String role = answers.single(IntakeCodes.ROLE_QUESTION).orElse("rather_not");
    return switch (role) {
      case "relative", "bystander" ->
          answers.single(IntakeCodes.ASKER_AGE_QUESTION).flatMap(this::ageBand);
      case "professional" -> Optional.empty();
      default -> ageBand(answers);
    };
  }

  /** The band for a Q2 code; empty for codes without age bounds. */
  public Optional<AgeBand> ageBand(String code) {
    for (Question q : questions) {
      if (q.id().equals(IntakeCodes.AGE_QUESTION)) {
        for (AnswerOption a : q.answers()) {
          if (a.code().equals(code) && a.ageMin() != null) {
            return Optional.of(new AgeBand(a.code(), a.ageMin(), a.ageMax()));
          }
        }
      }
    }
    return Optional.empty();
  }

  private EvalContext context(Answers answers) {
    Optional<AgeBand> age = ageBand(answers);
    Optional<AgeBand> askerAge = askerAgeBand(answers);
    return new EvalContext() {
      public Answers answers() {
        return answers;
      }

      public Optional<AgeBand> age() {
        return age;
      }

      public Optional<AgeBand> askerAge() {
        return askerAge;
      }

      public boolean shown(String questionId) {
        return question(questionId).map(q -> isVisible(q, answers)).orElse(false);
      }

      public boolean noOtherRouteAt(nl.veiligpraten.routing.Priority p) {
        throw new IllegalStateException("noOtherRouteAt is not available in the questionnaire");
      }

      public boolean matched(String ruleId) {
        throw new IllegalStateException("matched is not available in the questionnaire");
      }
    };
  }

  // ---------------------------------------------------------------- loading

  static Questionnaire read(YamlNode root, HelpPoints helpPoints) {
    root.allowOnly("talkNow", "skip", "consent", "questions");
    Map<String, String> placeholders = new LinkedHashMap<>();
    placeholders.put("acuteWindowDays", Integer.toString(helpPoints.acuteWindowDays()));
    helpPoints
        .ageLimits()
        .forEach((k, v) -> placeholders.put("ageLimits." + k, Integer.toString(v)));

    LocalizedText talkNow = visitorText(root.require("talkNow"), placeholders, false);
    LocalizedText skip = visitorText(root.require("skip"), placeholders, false);
    LocalizedText consent = visitorText(root.require("consent"), placeholders, true);
    for (Lang l : Lang.values()) {
      if (!consent.get(l).contains(ORGANISATION_PLACEHOLDER)) {
        throw root.require("consent")
            .error("consent text '" + l.key() + "' must contain " + ORGANISATION_PLACEHOLDER);
      }
    }
    ConditionParser conditions = new ConditionParser(helpPoints, null);
    List<Question> questions = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (YamlNode qn : root.require("questions").asList()) {
      qn.asMap().allowOnly("id", "type", "text", "showIf", "variants", "answers");
      String id = qn.requireText("id");
      IntakeCodes.QuestionSpec spec = IntakeCodes.question(id);
      if (spec == null) {
        throw qn.require("id")
            .error(
                "unknown question '"
                    + id
                    + "' (the intake has "
                    + IntakeCodes.questions().keySet()
                    + ")");
      }
      if (!seen.add(id)) {
        throw qn.require("id").error("duplicate question id '" + id + "'");
      }
      String typeText = qn.requireText("type");
      IntakeCodes.Type type =
          switch (typeText) {
            case "single" -> IntakeCodes.Type.SINGLE;
            case "multi" -> IntakeCodes.Type.MULTI;
            default ->
                throw qn.require("type")
                    .error("type must be 'single' or 'multi', got '" + typeText + "'");
          };
      if (type != spec.type()) {
        throw qn.require("type")
            .error(
                id + " must be of type " + spec.type().name().toLowerCase(java.util.Locale.ROOT));
      }
      LocalizedText text = visitorText(qn.require("text"), placeholders, false);
      Condition showIf = qn.get("showIf") == null ? null : conditions.parse(qn.get("showIf"));
      List<Variant> variants = new ArrayList<>();
      for (YamlNode vn : qn.optList("variants")) {
        vn.asMap().allowOnly("when", "text", "answers");
        Map<String, LocalizedText> answerTexts = new LinkedHashMap<>();
        if (vn.get("answers") != null) {
          for (Map.Entry<String, YamlNode> e : vn.get("answers").entries().entrySet()) {
            if (!spec.codes().contains(e.getKey())) {
              throw e.getValue()
                  .error(
                      "unknown answer code '"
                          + e.getKey()
                          + "' for "
                          + id
                          + " (allowed: "
                          + spec.codes()
                          + ")");
            }
            answerTexts.put(e.getKey(), visitorText(e.getValue(), placeholders, false));
          }
        }
        variants.add(
            new Variant(
                conditions.parse(vn.require("when")),
                visitorText(vn.require("text"), placeholders, false),
                answerTexts));
      }
      List<AnswerOption> options = new ArrayList<>();
      Set<String> codes = new LinkedHashSet<>();
      for (YamlNode an : qn.require("answers").asList()) {
        an.asMap().allowOnly("code", "text", "ageMin", "ageMax");
        String code = an.requireText("code");
        if (!spec.codes().contains(code)) {
          throw an.require("code")
              .error(
                  "unknown answer code '"
                      + code
                      + "' for "
                      + id
                      + " (allowed: "
                      + spec.codes()
                      + ")");
        }
        if (!codes.add(code)) {
          throw an.require("code").error("duplicate answer code '" + code + "' in " + id);
        }
        Integer min = an.optInt("ageMin");
        Integer max = an.optInt("ageMax");
        if ((min != null || max != null) && !AGE_QUESTIONS.contains(id)) {
          throw an.error("ageMin/ageMax are only allowed on " + AGE_QUESTIONS + " answers");
        }
        if (min == null && max != null) {
          throw an.error("an age band with ageMax needs ageMin");
        }
        if (min != null && max != null && min > max) {
          throw an.error("ageMin " + min + " is above ageMax " + max);
        }
        options.add(
            new AnswerOption(code, visitorText(an.require("text"), placeholders, false), min, max));
      }
      for (String required : spec.codes()) {
        if (!codes.contains(required)) {
          throw qn.require("answers").error(id + " is missing answer code '" + required + "'");
        }
      }
      questions.add(
          new Question(id, type, text, showIf, List.copyOf(variants), List.copyOf(options)));
    }
    for (String required : IntakeCodes.questions().keySet()) {
      if (!seen.contains(required)) {
        throw root.require("questions").error("missing question '" + required + "'");
      }
    }
    // contract order, whatever order the file uses
    List<String> order = List.copyOf(IntakeCodes.questions().keySet());
    questions.sort(java.util.Comparator.comparingInt(q -> order.indexOf(q.id())));
    Questionnaire result = new Questionnaire(talkNow, skip, consent, questions);
    boolean anyBand =
        result.question(IntakeCodes.AGE_QUESTION).orElseThrow().answers().stream()
            .anyMatch(a -> a.ageMin() != null);
    if (!anyBand) {
      throw root.require("questions")
          .error(IntakeCodes.AGE_QUESTION + " answers need ageMin/ageMax bands");
    }
    List<String> q2 =
        result.question(IntakeCodes.AGE_QUESTION).orElseThrow().answers().stream()
            .map(a -> a.code() + ":" + a.ageMin() + "-" + a.ageMax())
            .toList();
    List<String> qa =
        result.question(IntakeCodes.ASKER_AGE_QUESTION).orElseThrow().answers().stream()
            .map(a -> a.code() + ":" + a.ageMin() + "-" + a.ageMax())
            .toList();
    if (!q2.equals(qa)) {
      throw root.require("questions")
          .error(
              IntakeCodes.ASKER_AGE_QUESTION
                  + " must use the same age bands as "
                  + IntakeCodes.AGE_QUESTION
                  + " ("
                  + q2
                  + "), got "
                  + qa);
    }
    return result;
  }

  /**
   * Refuses banned phrasing in the Dutch and English variants of a visitor text (see {@link
   * #BANNED}).
   */
  static void checkBanned(YamlNode n, LocalizedText t) {
    for (Lang l : BANNED_CHECKED) {
      Matcher m = BANNED.matcher(t.get(l));
      if (m.find()) {
        throw n.require(l.key())
            .error(
                "visitor text must not use '"
                    + m.group()
                    + "' (no why-questions, no labels such as slachtoffer/dader, gender neutral)");
      }
    }
  }

  private static LocalizedText visitorText(
      YamlNode n, Map<String, String> placeholders, boolean allowOrg) {
    LocalizedText raw = LocalizedText.read(n);
    checkBanned(n, raw);
    return raw.map(
        s -> {
          Matcher m = PLACEHOLDER.matcher(s);
          StringBuilder sb = new StringBuilder();
          while (m.find()) {
            String key = m.group(1);
            String value;
            if (allowOrg && ("{" + key + "}").equals(ORGANISATION_PLACEHOLDER)) {
              value = ORGANISATION_PLACEHOLDER;
            } else if (placeholders.containsKey(key)) {
              value = placeholders.get(key);
            } else {
              throw n.error(
                  "unknown placeholder {"
                      + key
                      + "} (known: "
                      + placeholders.keySet()
                      + (allowOrg ? ", organisation" : "")
                      + ")");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
          }
          m.appendTail(sb);
          return sb.toString();
        });
  }
}
