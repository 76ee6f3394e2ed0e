package nl.veiligpraten.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nl.veiligpraten.infra.web.SecurityHeaders;
import nl.veiligpraten.routing.config.Lang;

/**
 * The visitor page's {@code index.html} as served (issue 23: fast on a poor connection), rendered
 * once at start from the template in {@code webroot/visitor/index.html}:
 *
 * <ul>
 *   <li>{@code app.css} inline, so the first paint waits for no second request (nothing is cached
 *       anyway: {@code Cache-Control: no-store} on every file, a cache is a trace on a shared
 *       phone);
 *   <li>the first question (Q0) and the 112 line in the HTML, in Dutch, from the questionnaire
 *       configuration;
 *   <li>a JSON data block ({@code #vp-page}): the published questionnaire in the page's form
 *       (texts, {@code showIf}, variants; see {@code EngineIntakeRouting}), the page's own texts
 *       and the offered languages (picker labels), the neutral exit address, the heartbeat timing
 *       and the longest retention, so neither the first screen nor the next questions wait for
 *       {@code /api/config}. Texts are inlined in {@link #INLINE} only; another offered language is
 *       served by {@link #language} when the visitor picks it;
 *   <li>{@code boot.js} inline: it keeps a tap made before {@code app.js} has arrived (and makes
 *       "Snel weg" work at once).
 * </ul>
 *
 * The CSP stays strict: the inline style and the boot script are allowed by their SHA-256 hashes
 * only, never by {@code unsafe-inline}; the data block is not a script the browser runs.
 */
final class VisitorPage {

  private static final String WEBROOT = "webroot/visitor/";

  /**
   * The languages whose texts are inlined in the data block: Dutch, easy-read Dutch and English,
   * the three buttons of the static header (and the reviewed languages of a production start, which
   * thus never makes a second request for texts). Any other offered language comes from {@code GET
   * /texts/<code>} when the visitor picks it (issue 23: with all seven inlined, a demo page's first
   * screen grew from 33 to 52 KB compressed).
   */
  static final Set<String> INLINE = Set.of("nl", "nl_easy", "en");

  private final String html;
  private final String csp;
  private final String script;

  /** Per offered language: the body of {@code GET /texts/<code>}. */
  private final Map<String, String> languages;

  private VisitorPage(String html, String csp, String script, Map<String, String> languages) {
    this.html = html;
    this.csp = csp;
    this.script = script;
    this.languages = languages;
  }

  /**
   * The texts of one offered language, {@code {lang, texts: {key: {lang: text}}, questions}} (the
   * data block's shapes with that language only, so the page merges them in); empty when this start
   * does not offer the language (production: an unreviewed one).
   */
  Optional<String> language(String code) {
    return Optional.ofNullable(languages.get(code));
  }

  /**
   * {@code json} with every localized text ({@code {nl: .., en: .., ...}}: an object with a Dutch
   * text whose keys are all language keys) cut down to the languages in {@code keep}; everything
   * else stays as it is.
   */
  static Object only(Object json, Set<String> keep) {
    if (json instanceof JsonArray array) {
      JsonArray out = new JsonArray();
      array.forEach(v -> out.add(only(v, keep)));
      return out;
    }
    if (json instanceof JsonObject object) {
      JsonObject out = new JsonObject();
      boolean localized =
          object.containsKey("nl")
              && object.fieldNames().stream().allMatch(k -> Lang.of(k).isPresent());
      for (String key : object.fieldNames()) {
        if (!localized) {
          out.put(key, only(object.getValue(key), keep));
        } else if (keep.contains(key)) {
          out.put(key, object.getValue(key));
        }
      }
      return out;
    }
    return json;
  }

  /**
   * {@code app.js} as served: {@link #compact} of the file (a quarter fewer bytes on the wire, gzip
   * included).
   */
  String script() {
    return script;
  }

  /**
   * The script without what only its readers need: comment lines, block comments that start a line,
   * blank lines and indentation. Lines and their order stay, so no statement changes (the page's
   * scripts are ES5 without template literals or strings continued over lines; {@code
   * VisitorPageFastIT} and the browser tests run the served file).
   */
  static String compact(String js) {
    StringBuilder out = new StringBuilder(js.length());
    boolean inBlock = false;
    for (String line : js.split("\n", -1)) {
      String t = line.strip();
      if (inBlock) {
        inBlock = !t.contains("*/");
        continue;
      }
      if (t.startsWith("/*")) {
        inBlock = !t.contains("*/");
        continue;
      }
      if (t.isEmpty() || t.startsWith("//")) {
        continue;
      }
      out.append(t).append('\n');
    }
    return out.toString();
  }

  /** The page as served. */
  String html() {
    return html;
  }

  /**
   * The page's Content-Security-Policy: {@link SecurityHeaders#CSP} plus the hashes of its inline
   * style and boot.
   */
  String csp() {
    return csp;
  }

  /**
   * Renders the page.
   *
   * @param publicConfig {@link IntakeRouting#publicConfig()} (questions with their page conditions,
   *     help points)
   * @param neutralExitUrl where quick exit goes
   * @param heartbeat {@code {pingSeconds, pongTimeoutSeconds}} as {@code /api/config} says it
   * @param pageTexts the page's own texts and offered languages ({@link IntakeRouting#pageTexts()}:
   *     {@code languages}, {@code texts}, issue 23), into the data block
   * @throws IllegalStateException when the questionnaire has no Q0 or a resource is missing
   */
  static VisitorPage render(
      JsonObject publicConfig, String neutralExitUrl, JsonObject heartbeat, JsonObject pageTexts) {
    String template = resource("index.html");
    String css = compact(resource("app.css")); // the same rules drop CSS comments and indentation
    String boot = compact(resource("boot.js"));
    JsonArray questions = publicConfig.getJsonArray("questions", new JsonArray());
    JsonObject q0 = null;
    for (Object q : questions) {
      if (q instanceof JsonObject question && "Q0".equals(question.getString("id"))) {
        q0 = question;
      }
    }
    if (q0 == null) {
      throw new IllegalStateException(
          "the questionnaire has no Q0: the visitor page cannot ask about danger");
    }
    Integer retention =
        maxRetentionDays(publicConfig.getJsonObject("helpPoints", new JsonObject()));
    StringBuilder answers = new StringBuilder();
    for (Object a : q0.getJsonArray("answers", new JsonArray())) {
      JsonObject answer = (JsonObject) a;
      answers
          .append("<li><button type=\"button\" class=\"btn\" data-code=\"")
          .append(escape(answer.getString("code")))
          .append("\">")
          .append(escape(nl(answer.getJsonObject("text"))))
          .append("</button></li>");
    }
    // The same sentences app.js says (about2 / about2NoDays), with the same number.
    String retentionText =
        retention == null
            ? "Je gesprek wordt na een vaste tijd gewist. Je kunt het ook zelf meteen wissen."
            : "Je gesprek wordt hoogstens "
                + retention
                + " dagen na afloop gewist. Je kunt het ook zelf meteen wissen.";
    JsonArray offered = pageTexts.getJsonArray("languages", new JsonArray());
    JsonObject texts = pageTexts.getJsonObject("texts", new JsonObject());
    // Only the inlined languages' texts; the picker's labels (languages) are all there, the rest
    // comes on demand.
    JsonObject data =
        new JsonObject()
            .put("questions", only(questions, INLINE))
            .put("neutralExitUrl", neutralExitUrl)
            .put("heartbeat", heartbeat)
            .put("retentionDays", retention)
            .put("languages", offered)
            .put("texts", only(texts, INLINE));
    Map<String, String> languages = new HashMap<>();
    for (Object l : offered) {
      String code = l instanceof JsonObject o ? o.getString("code") : null;
      if (code != null) {
        languages.put(
            code,
            new JsonObject()
                .put("lang", code)
                .put("texts", only(texts, Set.of(code)))
                .put("questions", only(questions, Set.of(code)))
                .encode());
      }
    }
    // "<" never appears raw inside the data block, so no text can end it early ("</script>").
    String dataJson = data.encode().replace("<", "\\u003c");
    String styleTag = "<style>" + css + "</style>";
    String page =
        template
            .replace("<!--vp:style-->", styleTag)
            .replace("{{q0.text}}", escape(nl(q0.getJsonObject("text"))))
            .replace("{{q0.answers}}", answers.toString())
            .replace("{{about.retention}}", escape(retentionText))
            .replace(
                "<!--vp:data-->",
                "<script type=\"application/json\" id=\"vp-page\">" + dataJson + "</script>")
            .replace("<!--vp:boot-->", "<script>" + boot + "</script>")
            .replace(
                "href=\"favicon.svg\"",
                "href=\"data:image/svg+xml;base64,"
                    + Base64.getEncoder()
                        .encodeToString(resource("favicon.svg").getBytes(StandardCharsets.UTF_8))
                    + "\"");
    // Comments are for the people who read the template, not for the phone that downloads it.
    page = page.replaceAll("(?s)<!--(?!\\[).*?-->\\s*", "");
    if (page.contains("{{") || page.contains("<!--vp:")) {
      throw new IllegalStateException("index.html has a placeholder that was not filled in");
    }
    String policy =
        SecurityHeaders.CSP
            .replace("script-src 'self'", "script-src 'self' 'sha256-" + sha256(boot) + "'")
            .replace("style-src 'self'", "style-src 'self' 'sha256-" + sha256(css) + "'");
    return new VisitorPage(page, policy, compact(resource("app.js")), Map.copyOf(languages));
  }

  /**
   * The longest retention any help point states (the about box, as app.js reckons it); null when
   * none is known.
   */
  private static Integer maxRetentionDays(JsonObject helpPoints) {
    Integer max = null;
    for (String id : helpPoints.fieldNames()) {
      JsonObject h = helpPoints.getJsonObject(id);
      Object days = h == null ? null : h.getValue("retentionDays");
      if (days instanceof Number n && (max == null || n.intValue() > max)) {
        max = n.intValue();
      }
    }
    return max;
  }

  private static String nl(JsonObject text) {
    return text == null ? "" : text.getString("nl", "");
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static String sha256(String s) {
    try {
      return Base64.getEncoder()
          .encodeToString(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = VisitorPage.class.getClassLoader().getResourceAsStream(WEBROOT + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + WEBROOT + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + WEBROOT + name, e);
    }
  }
}
