package nl.veiligpraten.routing.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One help point's entry in {@code help-points.yaml} as text, for editing one help point at a time:
 * an organisation admin sees and changes only the lines of its own entry, and the rest of the file
 * (comments included) stays as it was. Works on the block list the bundled file uses ({@code
 * helpPoints:} followed by {@code - id: ...} items).
 *
 * <p>Only text is spliced here; whether the result is valid is decided by {@link
 * RoutingConfig#parse}, the loader that checks the files at start-up.
 */
public final class HelpPointEntries {

  private static final String ENTRY_LOCATION = "help point entry";

  private HelpPointEntries() {}

  /**
   * Every help point's entry, id to its YAML text without the list dash and indentation, in file
   * order.
   */
  public static Map<String, String> entries(String helpPointsYaml) {
    Layout layout = Layout.of(helpPointsYaml);
    Map<String, String> out = new LinkedHashMap<>();
    for (Item item : layout.items) {
      out.put(item.id, layout.entryText(item));
    }
    return out;
  }

  /**
   * The file with the entry of {@code id} replaced by {@code entryYaml} (a mapping with the same
   * {@code id}), or appended at the end of the list when no help point has that id.
   *
   * @throws ConfigException when the entry is not a mapping, names another id, or the file has no
   *     block list
   */
  public static String put(String helpPointsYaml, String id, String entryYaml) {
    YamlNode entry = YamlNode.parse(ENTRY_LOCATION, entryYaml);
    YamlNode idNode = entry.require("id");
    if (!id.equals(idNode.asText())) {
      throw idNode.error("the entry's id must be '" + id + "'");
    }
    Layout layout = Layout.of(helpPointsYaml);
    List<String> replacement = layout.indent(entryYaml);
    List<String> lines = new ArrayList<>(layout.lines);
    Item existing = layout.items.stream().filter(i -> i.id.equals(id)).findFirst().orElse(null);
    if (existing != null) {
      lines.subList(existing.start, existing.end + 1).clear();
      lines.addAll(existing.start, replacement);
    } else {
      Item last = layout.items.get(layout.items.size() - 1);
      List<String> added = new ArrayList<>();
      added.add("");
      added.addAll(replacement);
      lines.addAll(last.end + 1, added);
    }
    return String.join("\n", lines);
  }

  private record Item(String id, int start, int end) {}

  /** Where the items of the help point list are, by line (0-based, end inclusive). */
  private static final class Layout {
    final List<String> lines;
    final List<Item> items = new ArrayList<>();
    int dashColumn = -1;
    int contentColumn = -1;

    private Layout(String text) {
      this.lines = List.of(text.split("\n", -1));
    }

    static Layout of(String text) {
      YamlNode root = YamlNode.parse(RoutingConfig.HELP_POINTS_FILE, text);
      YamlNode list = root.require("helpPoints");
      Layout layout = new Layout(text);
      List<YamlNode> nodes = list.asList();
      if (nodes.isEmpty()) {
        throw list.error("helpPoints is empty");
      }
      List<Integer> starts = new ArrayList<>();
      for (YamlNode n : nodes) {
        int line = n.line - 1;
        String s = layout.lines.get(line);
        int dash = s.indexOf("- ");
        if (dash < 0 || !s.substring(0, dash).isBlank()) {
          throw n.error(
              "help points must be a block list ('- id: ...' on its own line) to be edited one "
                  + "by one");
        }
        if (layout.dashColumn < 0) {
          layout.dashColumn = dash;
          int content = dash + 1;
          while (content < s.length() && s.charAt(content) == ' ') {
            content++;
          }
          layout.contentColumn = content;
        }
        starts.add(line);
      }
      int listEnd = layout.lines.size() - 1;
      for (int i = starts.get(starts.size() - 1) + 1; i < layout.lines.size(); i++) {
        String s = layout.lines.get(i);
        if (!s.isEmpty() && Character.isLetter(s.charAt(0))) {
          listEnd = i - 1;
          break;
        }
      }
      for (int i = 0; i < nodes.size(); i++) {
        int start = starts.get(i);
        int end = i + 1 < nodes.size() ? starts.get(i + 1) - 1 : listEnd;
        while (end > start
            && (layout.lines.get(end).isBlank() || layout.lines.get(end).strip().startsWith("#"))) {
          end--;
        }
        YamlNode idNode = nodes.get(i).asMap().require("id");
        layout.items.add(new Item(idNode.asText(), start, end));
      }
      return layout;
    }

    String entryText(Item item) {
      StringBuilder sb = new StringBuilder();
      for (int i = item.start; i <= item.end; i++) {
        String s = lines.get(i);
        if (i == item.start) {
          sb.append(s.substring(contentColumn));
        } else {
          int strip = 0;
          while (strip < contentColumn && strip < s.length() && s.charAt(strip) == ' ') {
            strip++;
          }
          sb.append('\n').append(s.substring(strip));
        }
      }
      return sb.append('\n').toString();
    }

    List<String> indent(String entryYaml) {
      List<String> raw = new ArrayList<>(List.of(entryYaml.strip().split("\n", -1)));
      List<String> out = new ArrayList<>();
      String dashPad = " ".repeat(dashColumn);
      String contentPad = " ".repeat(contentColumn);
      for (int i = 0; i < raw.size(); i++) {
        String s = raw.get(i).stripTrailing();
        if (i == 0) {
          out.add(dashPad + "-" + " ".repeat(contentColumn - dashColumn - 1) + s);
        } else {
          out.add(s.isEmpty() ? "" : contentPad + s);
        }
      }
      return out;
    }
  }
}
