package nl.veiligpraten.routing.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A YAML tree that remembers file, line and path of every node.
 *
 * <p>Why not Jackson databind: we want every semantic error (unknown help point, missing
 * translation, ...) to point at a line, and we want duplicate keys and unknown fields rejected.
 * Reading the token stream ourselves keeps {@link com.fasterxml.jackson.core.JsonLocation} for each
 * node. Scalars keep their raw text, so YAML 1.1 surprises such as {@code yes} becoming a boolean
 * cannot change an answer code.
 */
final class YamlNode {

  enum Kind {
    MAP,
    LIST,
    SCALAR,
    NULL
  }

  private static final YAMLFactory FACTORY = new YAMLFactory();

  final String file;
  final int line;
  final String path;
  final Kind kind;
  private final Map<String, YamlNode> map;
  private final List<YamlNode> list;
  private final String text;

  private YamlNode(
      String file,
      int line,
      String path,
      Kind kind,
      Map<String, YamlNode> map,
      List<YamlNode> list,
      String text) {
    this.file = file;
    this.line = line;
    this.path = path;
    this.kind = kind;
    this.map = map;
    this.list = list;
    this.text = text;
  }

  static YamlNode parse(String file, String content) {
    try (JsonParser p = FACTORY.createParser(content)) {
      if (p.nextToken() == null) {
        throw new ConfigException(file, 1, "", "file is empty");
      }
      YamlNode root = read(p, file, "");
      if (root.kind != Kind.MAP) {
        throw root.error("the file must contain a mapping (key: value) at the top");
      }
      return root;
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new ConfigException(file, line, "", "YAML syntax error: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ConfigException(file, 0, "", "cannot read: " + e.getMessage(), e);
    }
  }

  private static YamlNode read(JsonParser p, String file, String path) throws IOException {
    int line = p.currentTokenLocation().getLineNr();
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, YamlNode> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          int keyLine = p.currentTokenLocation().getLineNr();
          String childPath = path.isEmpty() ? name : path + "." + name;
          if (m.containsKey(name)) {
            throw new ConfigException(file, keyLine, childPath, "duplicate key '" + name + "'");
          }
          p.nextToken();
          m.put(name, read(p, file, childPath));
        }
        return new YamlNode(file, line, path, Kind.MAP, Collections.unmodifiableMap(m), null, null);
      }
      case START_ARRAY -> {
        List<YamlNode> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          l.add(read(p, file, path + "[" + l.size() + "]"));
        }
        return new YamlNode(
            file, line, path, Kind.LIST, null, Collections.unmodifiableList(l), null);
      }
      case VALUE_NULL -> {
        return new YamlNode(file, line, path, Kind.NULL, null, null, null);
      }
      default -> {
        return new YamlNode(file, line, path, Kind.SCALAR, null, null, p.getText());
      }
    }
  }

  ConfigException error(String problem) {
    return new ConfigException(file, line, path, problem);
  }

  // ---- shape checks ----

  YamlNode asMap() {
    if (kind != Kind.MAP) {
      throw error("expected a mapping (key: value)");
    }
    return this;
  }

  List<YamlNode> asList() {
    if (kind != Kind.LIST) {
      throw error("expected a list");
    }
    return list;
  }

  String asText() {
    if (kind != Kind.SCALAR) {
      throw error("expected a single value");
    }
    return text;
  }

  /** Non-blank text. */
  String asNonBlank() {
    String s = asText();
    if (s.isBlank()) {
      throw error("must not be empty");
    }
    return s.trim();
  }

  int asInt() {
    String s = asText();
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw error("expected a whole number, got '" + s + "'");
    }
  }

  boolean asBool() {
    String s = asText().trim();
    if (s.equals("true")) {
      return true;
    }
    if (s.equals("false")) {
      return false;
    }
    throw error("expected true or false, got '" + s + "'");
  }

  boolean isScalar() {
    return kind == Kind.SCALAR;
  }

  boolean isList() {
    return kind == Kind.LIST;
  }

  boolean isMap() {
    return kind == Kind.MAP;
  }

  // ---- map access ----

  Set<String> keys() {
    return asMap().map.keySet();
  }

  Map<String, YamlNode> entries() {
    return asMap().map;
  }

  /** Rejects keys outside {@code allowed}, pointing at the offending key's line. */
  YamlNode allowOnly(String... allowed) {
    Set<String> ok = Set.of(allowed);
    for (Map.Entry<String, YamlNode> e : entries().entrySet()) {
      if (!ok.contains(e.getKey())) {
        throw e.getValue()
            .error("unknown field '" + e.getKey() + "' (allowed: " + new TreeSet<>(ok) + ")");
      }
    }
    return this;
  }

  boolean has(String key) {
    YamlNode n = entries().get(key);
    return n != null && n.kind != Kind.NULL;
  }

  /** The child, or {@code null} when absent or YAML null. */
  YamlNode get(String key) {
    YamlNode n = entries().get(key);
    return n == null || n.kind == Kind.NULL ? null : n;
  }

  YamlNode require(String key) {
    YamlNode n = get(key);
    if (n == null) {
      throw error("missing required field '" + key + "'");
    }
    return n;
  }

  String requireText(String key) {
    return require(key).asNonBlank();
  }

  String optText(String key) {
    YamlNode n = get(key);
    return n == null ? null : n.asNonBlank();
  }

  Integer optInt(String key) {
    YamlNode n = get(key);
    return n == null ? null : n.asInt();
  }

  boolean optBool(String key, boolean dflt) {
    YamlNode n = get(key);
    return n == null ? dflt : n.asBool();
  }

  List<YamlNode> optList(String key) {
    YamlNode n = get(key);
    return n == null ? List.of() : n.asList();
  }
}
