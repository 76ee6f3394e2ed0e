package nl.veiligpraten.routing.config;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A visitor text in every {@link Lang}. Since routing v2 every visitor-facing text (questions,
 * answers, "why" texts, help-point descriptions, the page's own texts) has all variants: the loader
 * refuses a missing or blank one, and a translation whose placeholders ({@code {name}}) differ from
 * the Dutch text, naming the file, line and language.
 */
public final class LocalizedText {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}]*}");

  private final Map<Lang, String> texts;

  private LocalizedText(Map<Lang, String> texts) {
    this.texts = new EnumMap<>(texts);
  }

  /** Dutch B1. */
  public String nl() {
    return texts.get(Lang.NL);
  }

  /** Easy-read Dutch. */
  public String nlEasy() {
    return texts.get(Lang.NL_EASY);
  }

  /** English. */
  public String en() {
    return texts.get(Lang.EN);
  }

  public String get(Lang lang) {
    return texts.get(lang);
  }

  /** Key (as in the YAML files: nl, nl_easy, en, ar, ...) to text, in {@link Lang} order. */
  public Map<String, String> byKey() {
    Map<String, String> out = new LinkedHashMap<>();
    texts.forEach((l, s) -> out.put(l.key(), s));
    return out;
  }

  LocalizedText map(UnaryOperator<String> f) {
    Map<Lang, String> out = new EnumMap<>(Lang.class);
    texts.forEach((l, s) -> out.put(l, f.apply(s)));
    return new LocalizedText(out);
  }

  /**
   * Reads {nl, nl_easy, en, ar, tr, pl, uk}; all are required, and each has the Dutch text's
   * placeholders.
   */
  static LocalizedText read(YamlNode n) {
    n.asMap();
    String[] keys = new String[Lang.values().length];
    for (Lang l : Lang.values()) {
      keys[l.ordinal()] = l.key();
    }
    n.allowOnly(keys);
    Map<Lang, String> texts = new EnumMap<>(Lang.class);
    for (Lang l : Lang.values()) {
      texts.put(l, translation(n, l.key()));
    }
    Set<String> dutch = placeholders(texts.get(Lang.NL));
    for (Lang l : Lang.values()) {
      Set<String> own = placeholders(texts.get(l));
      if (!own.equals(dutch)) {
        throw n.require(l.key())
            .error(
                "translation '"
                    + l.key()
                    + "' has placeholders "
                    + own
                    + " but the Dutch text has "
                    + dutch);
      }
    }
    return new LocalizedText(texts);
  }

  /**
   * A help point's ad-hoc notice (a holiday closure): written at short notice by the organisation,
   * so nl, nl_easy and en are required as for every text and the other languages are optional; a
   * language without its own text shows the English one (a reader of Arabic, Turkish, Polish or
   * Ukrainian is likelier to read English than Dutch).
   */
  static LocalizedText readNotice(YamlNode n) {
    n.asMap();
    String[] keys = new String[Lang.values().length];
    for (Lang l : Lang.values()) {
      keys[l.ordinal()] = l.key();
    }
    n.allowOnly(keys);
    Map<Lang, String> texts = new EnumMap<>(Lang.class);
    for (Lang l : Lang.values()) {
      boolean required = l == Lang.NL || l == Lang.NL_EASY || l == Lang.EN;
      texts.put(l, required || n.get(l.key()) != null ? translation(n, l.key()) : null);
    }
    for (Lang l : Lang.values()) {
      if (texts.get(l) == null) {
        texts.put(l, texts.get(Lang.EN));
      }
    }
    return new LocalizedText(texts);
  }

  private static Set<String> placeholders(String s) {
    Set<String> out = new TreeSet<>();
    Matcher m = PLACEHOLDER.matcher(s);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  private static String translation(YamlNode n, String key) {
    YamlNode v = n.get(key);
    if (v == null || !v.isScalar() || v.asText().isBlank()) {
      throw n.error("missing translation '" + key + "'");
    }
    return v.asText().trim();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LocalizedText other && texts.equals(other.texts);
  }

  @Override
  public int hashCode() {
    return texts.hashCode();
  }

  @Override
  public String toString() {
    return "LocalizedText" + byKey();
  }
}
