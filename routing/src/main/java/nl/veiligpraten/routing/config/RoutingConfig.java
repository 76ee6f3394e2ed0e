package nl.veiligpraten.routing.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The four configuration files, loaded and cross-validated together.
 *
 * <p>Defaults are bundled on the classpath under {@code config/}. An organisation can override any
 * of the four files by placing a file with the same name in a config directory and restarting, so a
 * phone number or rule can change without a rebuild. Everything is validated at load time; the
 * engine never sees an inconsistent config.
 *
 * @param origins where each file came from, for logs and the admin screen
 */
public record RoutingConfig(
    Questionnaire questionnaire,
    RuleSet rules,
    HelpPoints helpPoints,
    VisitorTexts visitorTexts,
    java.util.Map<String, String> origins) {

  public static final String QUESTIONNAIRE_FILE = "questionnaire.yaml";
  public static final String RULES_FILE = "routing-rules.yaml";
  public static final String HELP_POINTS_FILE = "help-points.yaml";

  /** The visitor page's own texts and the languages it offers (issue 23). */
  public static final String VISITOR_TEXTS_FILE = "visitor-texts.yaml";

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
   * Loads the configuration. Files present in {@code dirOrNull} override the bundled ones; missing
   * files fall back to the bundled defaults.
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
    YamlNode tNode = read(dirOrNull, VISITOR_TEXTS_FILE, origins);
    HelpPoints helpPoints = HelpPoints.read(hpNode);
    Questionnaire questionnaire = Questionnaire.read(qNode, helpPoints);
    RuleSet rules = RuleSet.read(rNode, helpPoints);
    VisitorTexts visitorTexts = VisitorTexts.read(tNode);
    return new RoutingConfig(questionnaire, rules, helpPoints, visitorTexts, origins);
  }

  /**
   * Validates three file texts with the same loader as {@link #load}: same errors, same N1 check.
   * Used for versions stored in the database and for admins' edits before they are stored.
   *
   * @param label where the texts come from (e.g. {@code version 7}), named in every error next to
   *     the file name
   * @throws ConfigException naming file, line and problem when anything is wrong
   */
  public static RoutingConfig parse(ConfigTexts texts, String label) {
    java.util.Map<String, String> origins = new java.util.LinkedHashMap<>();
    java.util.Map<String, YamlNode> nodes = new java.util.HashMap<>();
    for (String name : ConfigTexts.FILES) {
      String location = name + " (" + label + ")";
      origins.put(name, location);
      nodes.put(name, YamlNode.parse(location, texts.get(name)));
    }
    HelpPoints helpPoints = HelpPoints.read(nodes.get(HELP_POINTS_FILE));
    Questionnaire questionnaire = Questionnaire.read(nodes.get(QUESTIONNAIRE_FILE), helpPoints);
    RuleSet rules = RuleSet.read(nodes.get(RULES_FILE), helpPoints);
    // A stored version holds the three routing files; the page's own texts (visitor-texts.yaml) are
    // read at
    // start and kept by the running intake (EngineIntakeRouting), so the bundled ones stand in
    // here.
    return new RoutingConfig(questionnaire, rules, helpPoints, defaults().visitorTexts(), origins);
  }

  /**
   * The texts {@link #load} would read: files in {@code dirOrNull} where present, else the bundled
   * ones. The seed of an empty configuration store.
   */
  public static ConfigTexts texts(Path dirOrNull) {
    java.util.Map<String, String> out = new java.util.HashMap<>();
    for (String name : ConfigTexts.FILES) {
      out.put(name, readText(dirOrNull, name));
    }
    return new ConfigTexts(
        out.get(HELP_POINTS_FILE), out.get(QUESTIONNAIRE_FILE), out.get(RULES_FILE));
  }

  private static String readText(Path dir, String name) {
    if (dir != null) {
      Path file = dir.resolve(name);
      if (Files.isRegularFile(file)) {
        try {
          return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new ConfigException(
              file.toString(), 0, "", "cannot read file: " + e.getMessage(), e);
        }
      }
    }
    String location = "classpath:" + CLASSPATH_DIR + name;
    try (InputStream in =
        RoutingConfig.class.getClassLoader().getResourceAsStream(CLASSPATH_DIR + name)) {
      if (in == null) {
        throw new ConfigException(location, 0, "", "bundled file is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(location, 0, "", "cannot read file: " + e.getMessage(), e);
    }
  }

  /**
   * The organisation that owns a help point: the one that staffs its queue ({@code staffedBy}),
   * else the help point's own id (an organisation's own help point carries its id). Organisation
   * admins edit only their own.
   */
  public static String owner(HelpPoint h) {
    return h.staffedBy() != null ? h.staffedBy() : h.id();
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
    try (InputStream in =
        RoutingConfig.class.getClassLoader().getResourceAsStream(CLASSPATH_DIR + name)) {
      if (in == null) {
        throw new ConfigException(location, 0, "", "bundled file is missing");
      }
      return YamlNode.parse(location, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ConfigException(location, 0, "", "cannot read file: " + e.getMessage(), e);
    }
  }
}
