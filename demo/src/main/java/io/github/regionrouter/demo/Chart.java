package io.github.regionrouter.demo;

import io.github.regionrouter.demo.Geography.Group;
import io.github.regionrouter.demo.Recorder.Kind;
import io.github.regionrouter.demo.Recorder.Outcome;
import io.github.regionrouter.demo.Recorder.Phase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The report's SVG chart, hand-written (no charting library): p95 before and after per group and kind as bars,
 * and the drill as p95 per second per group with the failures and the drill's events marked.
 *
 * <p>Not thread-safe; used once.
 */
final class Chart {

  private static final int WIDTH = 960;
  private static final String[] GROUP_COLORS = {"#1f77b4", "#2ca02c", "#d62728"};

  private final Recorder rec;
  private final List<Drill.Event> timeline;
  private final StringBuilder svg = new StringBuilder();

  Chart(Recorder rec, List<Drill.Event> timeline) {
    this.rec = rec;
    this.timeline = timeline;
  }

  String svg() {
    int barsHeight = 350;
    int drillTop = barsHeight + 20;
    int drillHeight = 280;
    int legendTop = drillTop + drillHeight + 30;
    int height = legendTop + 18 * timeline.size() + 20;
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
        + " font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height));
    svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
    bars(barsHeight);
    drill(drillTop, drillHeight);
    long drillStart = timeline.isEmpty() ? 0 : timeline.get(0).atMillis();
    for (int i = 0; i < timeline.size(); i++) {
      text(20, legendTop + 18 * i, (i + 1) + ". " + String.format(Locale.ROOT, "%5.1f s  ",
          (timeline.get(i).atMillis() - drillStart) / 1000.0) + shorten(timeline.get(i).what()), "start", "#333");
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private void bars(int height) {
    text(20, 24, "p95 latency per user group, single region (grey) vs region-router (colour), ms", "start", "#000");
    int left = 70;
    int bottom = height - 65;
    int top = 50;
    double max = 1;
    List<double[]> values = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    String[] rowLabels = {"all", "reads*", "own write", "writes"};
    for (Group g : Group.values()) {
      for (int row = 0; row < rowLabels.length; row++) {
        double before = p95(Phase.SINGLE, g, row);
        double after = p95(Phase.ROUTER, g, row);
        values.add(new double[] {before, after, g.ordinal()});
        labels.add(rowLabels[row]);
        max = Math.max(max, Math.max(nz(before), nz(after)));
      }
    }
    double yScale = (bottom - top) / niceCeiling(max);
    axis(left, top, bottom, niceCeiling(max), yScale);
    int slot = (WIDTH - left - 20) / values.size();
    for (int i = 0; i < values.size(); i++) {
      double[] v = values.get(i);
      int x = left + i * slot + 8;
      int w = (slot - 12) / 2;
      rect(x, bottom - nz(v[0]) * yScale, w, nz(v[0]) * yScale, "#bbbbbb");
      rect(x + w + 2, bottom - nz(v[1]) * yScale, w, nz(v[1]) * yScale, GROUP_COLORS[(int) v[2]]);
      text(x + w / 2, (int) (bottom - nz(v[0]) * yScale - 4), Report.ms(v[0]).replace(".0", ""), "middle", "#555");
      text(x + w + 2 + w / 2, (int) (bottom - nz(v[1]) * yScale - 4), Report.ms(v[1]).replace(".0", ""),
          "middle", "#000");
      text(x + w, bottom + 14, labels.get(i), "middle", "#000");
      if (i % rowLabels.length == 0) {
        text(left + i * slot + slot * rowLabels.length / 2, bottom + 30, Group.values()[i / rowLabels.length].key,
            "middle", GROUP_COLORS[i / rowLabels.length]);
      }
    }
    text(left, bottom + 48, "reads* = reads other than the read of one's own just-written note (\"own write\"),"
        + " which must see that write", "start", "#555");
  }

  /** p95 (ms) of a group's successful requests: all, other reads, reads of one's own new write, writes. */
  private double p95(Phase phase, Group g, int row) {
    long[] micros = switch (row) {
      case 0 -> rec.latencies(phase, g, null);
      case 1 -> rec.readLatencies(phase, g, false);
      case 2 -> rec.readLatencies(phase, g, true);
      default -> rec.latencies(phase, g, Kind.WRITE);
    };
    return Recorder.percentileMillis(micros, 95);
  }

  private void drill(int top, int height) {
    List<Recorder.Sample> samples = rec.samples(Phase.DRILL);
    text(20, top + 14, "drill: p95 per second per group (ms); red: failed or stale reads, purple: failed writes,"
        + " orange: refused by the router; numbers: events below", "start", "#000");
    if (samples.isEmpty() || timeline.isEmpty()) {
      return;
    }
    long start = timeline.get(0).atMillis();
    long end = Math.max(timeline.get(timeline.size() - 1).atMillis(),
        samples.stream().mapToLong(Recorder.Sample::atMillis).max().orElse(start)) + 1;
    int seconds = (int) Math.max(1, (end - start + 999) / 1000);
    int left = 70;
    int right = WIDTH - 20;
    int plotTop = top + 40;
    int bottom = top + height - 30;
    double[][] p95 = new double[Group.values().length][seconds];
    int[] errors = new int[seconds];
    int[] writeErrors = new int[seconds];
    int[] refused = new int[seconds];
    double max = 1;
    for (Group g : Group.values()) {
      for (int s = 0; s < seconds; s++) {
        long from = start + s * 1000L;
        long[] l = samples.stream().filter(x -> x.group() == g && x.outcome() == Outcome.OK
            && x.atMillis() >= from && x.atMillis() < from + 1000).mapToLong(Recorder.Sample::latencyMicros)
            .sorted().toArray();
        p95[g.ordinal()][s] = Recorder.percentileMillis(l, 95);
        max = Math.max(max, nz(p95[g.ordinal()][s]));
      }
    }
    for (Recorder.Sample x : samples) {
      int s = (int) ((x.atMillis() - start) / 1000);
      if (s < 0 || s >= seconds) {
        continue;
      }
      if (x.outcome() == Outcome.ERROR && x.kind() == Kind.WRITE) {
        writeErrors[s]++;
      } else if (x.outcome() == Outcome.ERROR || x.outcome() == Outcome.STALE) {
        errors[s]++;
      } else if (x.outcome() == Outcome.REFUSED) {
        refused[s]++;
      }
    }
    double ceiling = niceCeiling(max);
    double yScale = (bottom - plotTop) / ceiling;
    double xScale = (right - left) / (double) seconds;
    axis(left, plotTop, bottom, ceiling, yScale);
    for (Group g : Group.values()) {
      StringBuilder points = new StringBuilder();
      for (int s = 0; s < seconds; s++) {
        if (!Double.isNaN(p95[g.ordinal()][s])) {
          points.append(String.format(Locale.ROOT, "%.1f,%.1f ", left + (s + 0.5) * xScale,
              bottom - p95[g.ordinal()][s] * yScale));
        }
      }
      svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\""
          + " points=\"%s\"/>%n", GROUP_COLORS[g.ordinal()], points.toString().trim()));
      text(right - 150 + 50 * g.ordinal(), plotTop - 8, g.key, "start", GROUP_COLORS[g.ordinal()]);
    }
    for (int s = 0; s < seconds; s++) {
      if (errors[s] > 0) {
        circle(left + (s + 0.5) * xScale, bottom - 6, 4, "#d00000");
      }
      if (writeErrors[s] > 0) {
        circle(left + (s + 0.5) * xScale, bottom - 26, 3, "#7b2cbf");
      }
      if (refused[s] > 0) {
        circle(left + (s + 0.5) * xScale, bottom - 16, 3, "#ff9900");
      }
    }
    for (int i = 0; i < timeline.size(); i++) {
      double x = left + (timeline.get(i).atMillis() - start) / 1000.0 * xScale;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\""
          + " stroke-dasharray=\"3,3\"/>%n", x, plotTop, x, bottom));
      text((int) x, plotTop + 12 + 12 * (i % 3), Integer.toString(i + 1), "middle", "#444");
    }
    text((left + right) / 2, bottom + 20, "seconds since the drill started (0 - " + seconds + ")", "middle", "#000");
  }

  private void axis(int left, int top, int bottom, double ceiling, double yScale) {
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>%n",
        left, top, left, bottom));
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>%n",
        left, bottom, WIDTH - 20, bottom));
    for (int i = 0; i <= 4; i++) {
      double v = ceiling * i / 4;
      double y = bottom - v * yScale;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n",
          left + 1, y, WIDTH - 20, y));
      text(left - 6, (int) y + 4, String.format(Locale.ROOT, "%.0f", v), "end", "#333");
    }
  }

  private void rect(double x, double y, double w, double h, String fill) {
    svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
        + " fill=\"%s\"/>%n", x, y, w, h, fill));
  }

  private void circle(double x, double y, double r, String fill) {
    svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>%n", x, y, r,
        fill));
  }

  private void text(int x, int y, String text, String anchor, String fill) {
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" fill=\"%s\">%s</text>%n", x,
        y, anchor, fill, escape(text)));
  }

  private static String shorten(String s) {
    return s.length() > 125 ? s.substring(0, 122) + "..." : s;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static double nz(double v) {
    return Double.isNaN(v) ? 0 : v;
  }

  /** The smallest of 1, 2, 2.5, 5 × 10^n at or above {@code v}. */
  static double niceCeiling(double v) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (double step : Arrays.asList(1.0, 2.0, 2.5, 5.0, 10.0).stream().mapToDouble(Double::doubleValue).toArray()) {
      if (step * magnitude >= v) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }
}
