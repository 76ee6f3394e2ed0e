package nl.veiligpraten.routing.config;

/**
 * A text in Dutch B1, Dutch easy-read and English. Texts that are not shown in the intake (rule explanations,
 * help point descriptions) only need {@code nl} and {@code en}; for those {@link #nlEasy} is {@code null} and
 * {@link #get(Lang)} falls back to {@code nl}.
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

    /** Reads {nl, nl_easy, en}; {@code withEasy} decides whether nl_easy is required or forbidden. */
    static LocalizedText read(YamlNode n, boolean withEasy) {
        n.asMap();
        if (withEasy) {
            n.allowOnly("nl", "nl_easy", "en");
        } else {
            n.allowOnly("nl", "en");
        }
        String nl = translation(n, "nl");
        String easy = withEasy ? translation(n, "nl_easy") : null;
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
