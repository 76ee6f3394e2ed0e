package nl.veiligpraten.routing.config;

/** Text variants. {@link #NL} is Dutch at B1 level (default), {@link #NL_EASY} is easy-read (A2). */
public enum Lang {
    NL("nl"), NL_EASY("nl_easy"), EN("en");

    private final String key;

    Lang(String key) {
        this.key = key;
    }

    /** The key used in the YAML files. */
    public String key() {
        return key;
    }
}
