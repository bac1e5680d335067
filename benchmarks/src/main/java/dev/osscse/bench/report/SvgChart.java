package dev.osscse.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Draws the report's figure as a standalone SVG: CTR throughput by call size, and every case's
 * speed-up over SunJCE on a log scale.
 */
final class SvgChart {
  private static final int WIDTH = 960;
  private static final int LEFT = 300;
  private static final int RIGHT = 40;
  private static final String[] COLORS = {"#1b9e77", "#7570b3", "#d95f02"};
  private static final double LOG_MIN = -4; // 1/16x
  private static final double LOG_MAX = 7; // 128x

  private final StringBuilder svg = new StringBuilder();

  private SvgChart() {}

  /** Renders the figure for a run. */
  static String render(Run run, String title) {
    return new SvgChart().draw(run, title);
  }

  private String draw(Run run, String title) {
    List<Case> ctr = new ArrayList<>();
    List<Case> all = new ArrayList<>();
    for (Case c : run.cases()) {
      if (c.benchmark().equals(Targets.OUT_OF_PLACE) || c.benchmark().equals(Targets.IN_PLACE)) {
        ctr.add(c);
      }
      if (!Run.isBinding(c)) {
        all.add(c);
      }
    }
    int panelA = 330;
    int rowH = 26;
    int panelB = 80 + all.size() * rowH;
    int height = 60 + panelA + panelB;
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(height)
        .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
    rect(0, 0, WIDTH, height, "#ffffff");
    text(WIDTH / 2.0, 22, title, "middle", 15, "bold");
    legend(WIDTH - RIGHT - 300, 40);
    throughput(run, ctr, 60, panelA);
    speedups(run, all, 60 + panelA, rowH);
    svg.append("</svg>\n");
    return svg.toString();
  }

  private void legend(double x, double y) {
    for (int i = 0; i < Run.PROVIDERS.size(); i++) {
      rect(x + i * 100, y - 10, 12, 12, COLORS[i]);
      text(x + i * 100 + 17, y, Run.PROVIDERS.get(i), "start", 12, "normal");
    }
  }

  private void throughput(Run run, List<Case> cases, double top, double height) {
    text(
        LEFT - 240,
        top + 10,
        "CTR update throughput, GB/s (median; higher is better)",
        "start",
        13,
        "bold");
    double plotTop = top + 30;
    double plotBottom = top + height - 50;
    double x0 = 60;
    double x1 = WIDTH - RIGHT;
    double max = 0;
    for (Case c : cases) {
      for (String p : Run.PROVIDERS) {
        Optional<JmhResult> r = run.find(c, p);
        if (r.isPresent()) {
          max = Math.max(max, c.bytes().getAsLong() / r.get().medianNanos());
        }
      }
    }
    if (cases.isEmpty() || !(max > 0)) {
      text(x0, plotTop + 20, "no CTR update results", "start", 12, "normal");
      return;
    }
    double step = niceStep(max / 5);
    double axisMax = Math.ceil(max / step) * step;
    for (double v = 0; v <= axisMax + step / 2; v += step) {
      double y = plotBottom - (plotBottom - plotTop) * v / axisMax;
      line(x0, y, x1, y, "#dddddd");
      text(x0 - 6, y + 4, String.format(Locale.ROOT, "%.1f", v), "end", 11, "normal");
    }
    double groupW = (x1 - x0) / cases.size();
    double barW = Math.min(22, groupW / (Run.PROVIDERS.size() + 1));
    for (int g = 0; g < cases.size(); g++) {
      Case c = cases.get(g);
      double gx = x0 + g * groupW + (groupW - barW * Run.PROVIDERS.size()) / 2;
      for (int i = 0; i < Run.PROVIDERS.size(); i++) {
        Optional<JmhResult> r = run.find(c, Run.PROVIDERS.get(i));
        if (r.isEmpty()) {
          continue;
        }
        double v = c.bytes().getAsLong() / r.get().medianNanos();
        double y = plotBottom - (plotBottom - plotTop) * v / axisMax;
        rect(gx + i * barW, y, barW - 2, plotBottom - y, COLORS[i]);
      }
      String where = c.benchmark().equals(Targets.IN_PLACE) ? "in place" : "out of place";
      double cx = x0 + g * groupW + groupW / 2;
      text(cx, plotBottom + 16, Case.size(c.bytes().getAsLong()), "middle", 11, "normal");
      text(cx, plotBottom + 30, where, "middle", 11, "normal");
    }
    line(x0, plotBottom, x1, plotBottom, "#333333");
  }

  private void speedups(Run run, List<Case> cases, double top, int rowH) {
    text(
        LEFT - 240,
        top + 10,
        "Speed-up over SunJCE (log scale; right of 1x is faster)",
        "start",
        13,
        "bold");
    double plotTop = top + 40;
    double plotBottom = plotTop + cases.size() * rowH;
    for (double e = LOG_MIN; e <= LOG_MAX; e++) {
      double x = logX(Math.pow(2, e));
      line(x, plotTop - 5, x, plotBottom, e == 0 ? "#333333" : "#dddddd");
      String label = e >= 0 ? ((long) Math.pow(2, e)) + "x" : "1/" + ((long) Math.pow(2, -e)) + "x";
      text(x, plotTop - 10, label, "middle", 10, "normal");
    }
    List<String> shown = List.of(Run.SUBJECT, "BC");
    for (int row = 0; row < cases.size(); row++) {
      Case c = cases.get(row);
      double y = plotTop + row * rowH;
      text(LEFT - 8, y + rowH / 2.0 + 4, c.label(), "end", 11, "normal");
      for (int i = 0; i < shown.size(); i++) {
        Optional<Double> s = run.speedupOverBaseline(c, shown.get(i));
        if (s.isEmpty()) {
          continue;
        }
        double v = s.get();
        double xv = logX(v);
        double x1 = logX(1);
        double by = y + 4 + i * 9;
        rect(
            Math.min(xv, x1),
            by,
            Math.abs(xv - x1),
            8,
            COLORS[Run.PROVIDERS.indexOf(shown.get(i))]);
        text(Math.max(xv, x1) + 4, by + 8, Format.ratio(v), "start", 9, "normal");
      }
    }
  }

  private static double logX(double v) {
    double l = Math.log(v) / Math.log(2);
    l = Math.max(LOG_MIN, Math.min(LOG_MAX, l));
    return LEFT + (WIDTH - RIGHT - 40 - LEFT) * (l - LOG_MIN) / (LOG_MAX - LOG_MIN);
  }

  private static double niceStep(double raw) {
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * p >= raw) {
        return m * p;
      }
    }
    return 10 * p;
  }

  private void rect(double x, double y, double w, double h, String fill) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n",
            x,
            y,
            Math.max(0, w),
            Math.max(0, h),
            fill));
  }

  private void line(double x1, double y1, double x2, double y2, String stroke) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
            x1,
            y1,
            x2,
            y2,
            stroke));
  }

  private void text(double x, double y, String s, String anchor, int size, String weight) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" font-weight=\"%s\">%s</text>%n",
            x,
            y,
            anchor,
            size,
            weight,
            escape(s)));
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
