package nl.veiligpraten.routing.config;

/**
 * A text in Dutch B1, Dutch easy-read and English. Since routing v2 every visitor-facing text (questions, answers,
 * "why" texts, help-point descriptions) has all three: the loader refuses a missing variant.
 */
public record LocalizedText(String nl, String nlEasy, String en) {

    public String get(Lang lang) {
        return switch (lang) {
            case NL -> nl;
            case NL_EASY -> nlEasy != null ? nlEasy : nl;
            case EN -> en;
        };
    }

    LocalizedText map(java.util.function.UnaryOperator<String> f) {
        return new LocalizedText(f.apply(nl), nlEasy == null ? null : f.apply(nlEasy), f.apply(en));
    }

    /** Reads {nl, nl_easy, en}; all three are required. */
    static LocalizedText read(YamlNode n) {
        n.asMap();
        n.allowOnly("nl", "nl_easy", "en");
        String nl = translation(n, "nl");
        String easy = translation(n, "nl_easy");
        String en = translation(n, "en");
        return new LocalizedText(nl, easy, en);
    }

    private static String translation(YamlNode n, String key) {
        YamlNode v = n.get(key);
        if (v == null || !v.isScalar() || v.asText().isBlank()) {
            throw n.error("missing translation '" + key + "'");
        }
        return v.asText().trim();
    }
}
