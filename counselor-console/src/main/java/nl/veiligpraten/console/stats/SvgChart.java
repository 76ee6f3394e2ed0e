package nl.veiligpraten.console.stats;

import java.util.List;
import java.util.Locale;

/**
 * Server-side SVG charts without any library: stacked bars for counts, lines for measured values.
 * Only presentation attributes are used (no style attributes or scripts), so the strict
 * Content-Security-Policy holds inside the image. Suppressed entries are not drawn; the chart says
 * how many were left out.
 */
final class SvgChart {

  static final int WIDTH = 820;
  static final int HEIGHT = 340;
  private static final int LEFT = 60;
  private static final int RIGHT = 170;
  private static final int TOP = 40;
  private static final int BOTTOM = 70;
  private static final int MAX_LEGEND = 14;

  /** Colour-blind-safe palette (Okabe-Ito plus greys), so series stay apart for everyone. */
  private static final String[] PALETTE = {
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
    "#999999", "#7F3C8D", "#11A579", "#3969AC", "#F2B701", "#E73F74"
  };

  private SvgChart() {}

  /** Stacked bars: one bar per row, one segment per column. */
  static String stackedBars(String title, List<String> rows, List<String> columns, Long[][] cells) {
    double max = 0;
    int hidden = 0;
    for (int i = 0; i < rows.size(); i++) {
      double sum = 0;
      for (int j = 0; j < columns.size(); j++) {
        if (cells[i][j] == null) {
          hidden++;
        } else {
          sum += cells[i][j];
        }
      }
      max = Math.max(max, sum);
    }
    StringBuilder svg = open(title);
    double top = axis(svg, max);
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = HEIGHT - TOP - BOTTOM;
    double slot = plotW / Math.max(1, rows.size());
    double barW = Math.max(1, slot * 0.8);
    for (int i = 0; i < rows.size(); i++) {
      double y = TOP + plotH;
      double x = LEFT + i * slot + (slot - barW) / 2;
      for (int j = 0; j < columns.size(); j++) {
        Long v = cells[i][j];
        if (v == null || v == 0) {
          continue;
        }
        double h = v / top * plotH;
        y -= h;
        svg.append("<rect x=\"")
            .append(f(x))
            .append("\" y=\"")
            .append(f(y))
            .append("\" width=\"")
            .append(f(barW))
            .append("\" height=\"")
            .append(f(h))
            .append("\" fill=\"")
            .append(color(j))
            .append("\"><title>")
            .append(esc(rows.get(i) + " / " + columns.get(j) + ": " + v))
            .append("</title></rect>");
      }
    }
    xLabels(svg, rows, slot);
    legend(svg, columns);
    return close(svg, hidden);
  }

  /**
   * Grouped bars: per row one bar per column (values that are not counts, e.g. percentiles per help
   * point).
   */
  static String groupedBars(
      String title, List<String> rows, List<String> columns, Double[][] values) {
    return groupedBars(title, rows, columns, values, null);
  }

  /**
   * Grouped bars with target lines: {@code targets[i][j]} (same layout, null = none) is drawn as a
   * dashed line across bar (i, j), so a bar above its line missed the target.
   */
  static String groupedBars(
      String title,
      List<String> rows,
      List<String> columns,
      Double[][] values,
      Double[][] targets) {
    double max = largest(values);
    if (targets != null) {
      max = Math.max(max, largest(targets));
    }
    StringBuilder svg = open(title);
    double top = axis(svg, max);
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = HEIGHT - TOP - BOTTOM;
    double slot = plotW / Math.max(1, rows.size());
    double barW = Math.max(1, slot * 0.8 / Math.max(1, columns.size()));
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < columns.size(); j++) {
        Double v = values[i][j];
        if (v == null) {
          continue;
        }
        double h = v / top * plotH;
        double x = LEFT + i * slot + slot * 0.1 + j * barW;
        svg.append("<rect x=\"")
            .append(f(x))
            .append("\" y=\"")
            .append(f(TOP + plotH - h))
            .append("\" width=\"")
            .append(f(barW))
            .append("\" height=\"")
            .append(f(h))
            .append("\" fill=\"")
            .append(color(j))
            .append("\"><title>")
            .append(esc(rows.get(i) + " / " + columns.get(j) + ": " + number(v)))
            .append("</title></rect>");
        Double t = targets == null ? null : targets[i][j];
        if (t != null) {
          double ty = TOP + plotH - t / top * plotH;
          svg.append("<line class=\"target\" x1=\"")
              .append(f(x - 1))
              .append("\" y1=\"")
              .append(f(ty))
              .append("\" x2=\"")
              .append(f(x + barW + 1))
              .append("\" y2=\"")
              .append(f(ty))
              .append("\" stroke=\"#000\" stroke-width=\"2\" stroke-dasharray=\"4 2\"><title>")
              .append(esc(rows.get(i) + " / " + columns.get(j) + " target: " + number(t)))
              .append("</title></line>");
        }
      }
    }
    xLabels(svg, rows, slot);
    legend(svg, columns);
    return close(svg, 0);
  }

  /**
   * Heat map: rows (weekdays) x columns (hours), darker = more; each square has its value as a
   * tooltip. Used for inflow against counselors online by weekday and hour.
   */
  static String heatmap(String title, List<String> rows, List<String> columns, Double[][] values) {
    double max = Math.max(largest(values), 1e-9);
    StringBuilder svg = open(title);
    double plotW = WIDTH - LEFT - 40;
    double plotH = HEIGHT - TOP - BOTTOM + 30;
    double w = plotW / Math.max(1, columns.size());
    double h = plotH / Math.max(1, rows.size());
    for (int i = 0; i < rows.size(); i++) {
      svg.append("<text x=\"")
          .append(LEFT - 6)
          .append("\" y=\"")
          .append(f(TOP + i * h + h * 0.65))
          .append("\" text-anchor=\"end\" fill=\"#333\">")
          .append(esc(rows.get(i)))
          .append("</text>");
      for (int j = 0; j < columns.size(); j++) {
        Double v = values[i][j];
        double shade = v == null ? 0 : v / max;
        int c = (int) Math.round(245 - shade * 200);
        svg.append("<rect x=\"")
            .append(f(LEFT + j * w))
            .append("\" y=\"")
            .append(f(TOP + i * h))
            .append("\" width=\"")
            .append(f(w - 1))
            .append("\" height=\"")
            .append(f(h - 1))
            .append("\" fill=\"")
            .append(
                v == null
                    ? "#f4f4f4"
                    : String.format("rgb(%d,%d,%d)", c, c, 255 - (int) (shade * 90)))
            .append("\"><title>")
            .append(esc(rows.get(i) + " " + columns.get(j) + ": " + (v == null ? "-" : number(v))))
            .append("</title></rect>");
      }
    }
    for (int j = 0; j < columns.size(); j += 2) {
      svg.append("<text x=\"")
          .append(f(LEFT + j * w + w / 2))
          .append("\" y=\"")
          .append(f(TOP + plotH + 14))
          .append("\" text-anchor=\"middle\" fill=\"#333\">")
          .append(esc(columns.get(j)))
          .append("</text>");
    }
    return close(svg, 0);
  }

  /** Lines: one series per column over the rows; a missing value breaks the line. */
  static String lines(String title, List<String> rows, List<String> columns, Double[][] values) {
    double max = largest(values);
    StringBuilder svg = open(title);
    double top = axis(svg, max);
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = HEIGHT - TOP - BOTTOM;
    double slot = plotW / Math.max(1, rows.size());
    for (int j = 0; j < columns.size(); j++) {
      StringBuilder points = new StringBuilder();
      for (int i = 0; i <= rows.size(); i++) {
        Double v = i < rows.size() ? values[i][j] : null;
        if (v != null) {
          double x = LEFT + i * slot + slot / 2;
          double y = TOP + plotH - v / top * plotH;
          points.append(f(x)).append(',').append(f(y)).append(' ');
          if (rows.size() <= 62) {
            svg.append("<circle cx=\"")
                .append(f(x))
                .append("\" cy=\"")
                .append(f(y))
                .append("\" r=\"2.5\" fill=\"")
                .append(color(j))
                .append("\"><title>")
                .append(esc(rows.get(i) + " / " + columns.get(j) + ": " + number(v)))
                .append("</title></circle>");
          }
        } else if (points.length() > 0) {
          svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"")
              .append(color(j))
              .append("\" points=\"")
              .append(points.toString().trim())
              .append("\"/>");
          points.setLength(0);
        }
      }
    }
    xLabels(svg, rows, slot);
    legend(svg, columns);
    return close(svg, 0);
  }

  /** The largest value of a table whose empty cells are null (0 when all are empty). */
  private static double largest(Double[][] values) {
    double max = 0;
    for (Double[] row : values) {
      for (Double v : row) {
        if (v != null) {
          max = Math.max(max, v);
        }
      }
    }
    return max;
  }

  private static StringBuilder open(String title) {
    StringBuilder svg = new StringBuilder(8192);
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(HEIGHT)
        .append("\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(HEIGHT)
        .append("\" role=\"img\" font-family=\"sans-serif\" font-size=\"11\"><title>")
        .append(esc(title))
        .append("</title><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>")
        .append("<text x=\"")
        .append(LEFT)
        .append("\" y=\"22\" font-size=\"15\" font-weight=\"bold\" fill=\"#222\">")
        .append(esc(title))
        .append("</text>");
    return svg;
  }

  /** Draws the y axis with nice ticks and returns the axis maximum. */
  private static double axis(StringBuilder svg, double max) {
    double step = niceStep(max <= 0 ? 1 : max / 4);
    double top = Math.max(step, Math.ceil(max / step) * step);
    double plotH = HEIGHT - TOP - BOTTOM;
    for (double t = 0; t <= top + step / 2; t += step) {
      double y = TOP + plotH - t / top * plotH;
      svg.append("<line x1=\"")
          .append(LEFT)
          .append("\" x2=\"")
          .append(WIDTH - RIGHT)
          .append("\" y1=\"")
          .append(f(y))
          .append("\" y2=\"")
          .append(f(y))
          .append("\" stroke=\"#dddddd\"/>")
          .append("<text x=\"")
          .append(LEFT - 6)
          .append("\" y=\"")
          .append(f(y + 4))
          .append("\" text-anchor=\"end\" fill=\"#444\">")
          .append(number(t))
          .append("</text>");
    }
    return top;
  }

  private static void xLabels(StringBuilder svg, List<String> rows, double slot) {
    int every = Math.max(1, (int) Math.ceil(rows.size() / 31.0));
    double y = HEIGHT - BOTTOM + 12;
    for (int i = 0; i < rows.size(); i += every) {
      double x = LEFT + i * slot + slot / 2;
      svg.append("<text x=\"")
          .append(f(x))
          .append("\" y=\"")
          .append(f(y))
          .append("\" fill=\"#444\" font-size=\"9\" ")
          .append("text-anchor=\"end\" transform=\"rotate(-45 ")
          .append(f(x))
          .append(' ')
          .append(f(y))
          .append(")\">")
          .append(esc(rows.get(i)))
          .append("</text>");
    }
  }

  private static void legend(StringBuilder svg, List<String> columns) {
    int x = WIDTH - RIGHT + 14;
    int shown = Math.min(columns.size(), MAX_LEGEND);
    for (int j = 0; j < shown; j++) {
      int y = TOP + j * 18;
      svg.append("<rect x=\"")
          .append(x)
          .append("\" y=\"")
          .append(y)
          .append("\" width=\"12\" height=\"12\" fill=\"")
          .append(color(j))
          .append("\"/><text x=\"")
          .append(x + 18)
          .append("\" y=\"")
          .append(y + 10)
          .append("\" fill=\"#222\">")
          .append(esc(columns.get(j)))
          .append("</text>");
    }
    if (columns.size() > shown) {
      svg.append("<text x=\"")
          .append(x)
          .append("\" y=\"")
          .append(TOP + shown * 18 + 10)
          .append("\" fill=\"#444\">+")
          .append(columns.size() - shown)
          .append(" more</text>");
    }
  }

  private static String close(StringBuilder svg, int hidden) {
    if (hidden > 0) {
      svg.append("<text x=\"")
          .append(LEFT)
          .append("\" y=\"")
          .append(HEIGHT - 6)
          .append("\" fill=\"#8a1c1c\">")
          .append(hidden)
          .append(" cell(s) suppressed (n &lt; 10 or complementary) and not drawn</text>");
    }
    return svg.append("</svg>").toString();
  }

  static double niceStep(double raw) {
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double n = raw / mag;
    double nice = n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10;
    return Math.max(1, nice * mag);
  }

  private static String color(int j) {
    return PALETTE[j % PALETTE.length];
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
