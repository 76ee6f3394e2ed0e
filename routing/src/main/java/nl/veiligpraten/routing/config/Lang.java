package nl.veiligpraten.routing.config;

import java.util.Optional;

/**
 * Text variants of every visitor text. {@link #NL} is Dutch at B1 level (default), {@link #NL_EASY}
 * is easy-read (A2), {@link #EN} English; Arabic (right to left), Turkish, Polish and Ukrainian
 * since issue 23. Whether a language is offered to visitors is configuration ({@code
 * visitor-texts.yaml}: a production start offers only the languages a native speaker of the
 * organisation marked reviewed); every text exists in every language regardless, so the loader's
 * missing-text check is the same for all.
 */
public enum Lang {
  NL("nl", false),
  NL_EASY("nl_easy", false),
  EN("en", false),
  AR("ar", true),
  TR("tr", false),
  PL("pl", false),
  UK("uk", false);

  private final String key;
  private final boolean rtl;

  Lang(String key, boolean rtl) {
    this.key = key;
    this.rtl = rtl;
  }

  /** The key used in the YAML files, the page and the intake codes. */
  public String key() {
    return key;
  }

  /** Whether the script runs right to left (the page sets {@code dir="rtl"}). */
  public boolean rtl() {
    return rtl;
  }

  /** Whether this is one of the two Dutch variants (every counselor reads and writes Dutch). */
  public boolean dutch() {
    return this == NL || this == NL_EASY;
  }

  /** The language with this key, if any. */
  public static Optional<Lang> of(String key) {
    for (Lang l : values()) {
      if (l.key.equals(key)) {
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }
}
