package nl.veiligpraten.routing.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The three configuration files, loaded and cross-validated together.
 *
 * <p>Defaults are bundled on the classpath under {@code config/}. An organisation can override any of the three
 * files by placing a file with the same name in a config directory and restarting, so a phone number or rule can
 * change without a rebuild. Everything is validated at load time; the engine never sees an inconsistent config.
 *
 * @param origins where each file came from, for logs and the admin screen
 */
public record RoutingConfig(Questionnaire questionnaire, RuleSet rules, HelpPoints helpPoints,
                            java.util.Map<String, String> origins) {

    public static final String QUESTIONNAIRE_FILE = "questionnaire.yaml";
    public static final String RULES_FILE = "routing-rules.yaml";
    public static final String HELP_POINTS_FILE = "help-points.yaml";
    private static final String CLASSPATH_DIR = "config/";

    private static volatile RoutingConfig defaults;

    public RoutingConfig {
        origins = java.util.Map.copyOf(origins);
    }

    /** The bundled configuration (loaded once). */
    public static RoutingConfig defaults() {
        RoutingConfig d = defaults;
        if (d == null) {
            synchronized (RoutingConfig.class) {
                if (defaults == null) {
                    defaults = load(null);
                }
                d = defaults;
            }
        }
        return d;
    }

    /**
     * Loads the configuration. Files present in {@code dirOrNull} override the bundled ones; missing files fall
     * back to the bundled defaults.
     *
     * @throws ConfigException naming file, line and problem when anything is wrong
     */
    public static RoutingConfig load(Path dirOrNull) {
        if (dirOrNull != null && !Files.isDirectory(dirOrNull)) {
            throw new ConfigException(dirOrNull.toString(), 0, "", "config directory does not exist");
        }
        java.util.Map<String, String> origins = new java.util.LinkedHashMap<>();
        YamlNode hpNode = read(dirOrNull, HELP_POINTS_FILE, origins);
        YamlNode qNode = read(dirOrNull, QUESTIONNAIRE_FILE, origins);
        YamlNode rNode = read(dirOrNull, RULES_FILE, origins);
        HelpPoints helpPoints = HelpPoints.read(hpNode);
        Questionnaire questionnaire = Questionnaire.read(qNode, helpPoints);
        RuleSet rules = RuleSet.read(rNode, helpPoints);
        return new RoutingConfig(questionnaire, rules, helpPoints, origins);
    }

    private static YamlNode read(Path dir, String name, java.util.Map<String, String> origins) {
        if (dir != null) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                String location = file.toString();
                origins.put(name, location);
                try {
                    return YamlNode.parse(location, Files.readString(file, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new ConfigException(location, 0, "", "cannot read file: " + e.getMessage(), e);
                }
            }
        }
        String location = "classpath:" + CLASSPATH_DIR + name;
        origins.put(name, location);
        try (InputStream in = RoutingConfig.class.getClassLoader().getResourceAsStream(CLASSPATH_DIR + name)) {
            if (in == null) {
                throw new ConfigException(location, 0, "", "bundled file is missing");
            }
            return YamlNode.parse(location, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException(location, 0, "", "cannot read file: " + e.getMessage(), e);
        }
    }
}
