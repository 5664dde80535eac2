package io.github.regionrouter.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What one run of the demo does: how far apart the locations are ({@code scale}), how long each phase and each
 * drill step lasts, how many users each group has, how long they think between actions, where the report goes.
 *
 * @param scale         multiplies every network delay (1 = the stated public figures)
 * @param phase         duration of the single-region phase and of the region-router phase
 * @param drillStep     how long each fault of the drill is held while users keep going
 * @param usersPerGroup simulated users in each of the EU, US and Asia groups
 * @param think         mean pause between two actions of one user
 * @param reportDir     where REPORT.md and latency.svg are written
 */
record DemoOptions(double scale, Duration phase, Duration drillStep, int usersPerGroup, Duration think,
    Path reportDir) {

  static final String USAGE = String.join("\n",
      "usage: java -jar demo/target/region-router-demo.jar [options]",
      "  --scale X            multiply every network delay by X (default 1; 0.1 runs the story 10x closer)",
      "  --phase-seconds N    length of the single-region and the region-router phase (default 40)",
      "  --drill-step-seconds N  how long each drill fault is held (default 6)",
      "  --users-per-group N  simulated users per group: EU, US, Asia (default 6)",
      "  --think-ms N         mean pause between one user's actions (default 200)",
      "  --out DIR            report directory (default ./region-router-demo-report)");

  private static final java.util.Set<String> OPTIONS = java.util.Set.of("--scale", "--phase-seconds",
      "--drill-step-seconds", "--users-per-group", "--think-ms", "--out");

  DemoOptions {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(drillStep, "drillStep");
    Objects.requireNonNull(think, "think");
    Objects.requireNonNull(reportDir, "reportDir");
    if (usersPerGroup < 1 || usersPerGroup > 50) {
      throw new IllegalArgumentException("--users-per-group must be in 1..50, was " + usersPerGroup);
    }
    if (phase.toSeconds() < 1 || drillStep.toSeconds() < 1) {
      throw new IllegalArgumentException("--phase-seconds and --drill-step-seconds must be at least 1, were "
          + phase.toSeconds() + " and " + drillStep.toSeconds());
    }
    new Geography(scale); // validates the scale with its message
  }

  /** The defaults: the full story, a little over two minutes of traffic. */
  static DemoOptions defaults() {
    return new DemoOptions(1.0, Duration.ofSeconds(40), Duration.ofSeconds(6), 6, Duration.ofMillis(200),
        Path.of("region-router-demo-report"));
  }

  /**
   * Parses command-line options over the defaults.
   *
   * @throws IllegalArgumentException naming the option and what it accepts
   */
  static DemoOptions parse(String... args) {
    DemoOptions o = defaults();
    double scale = o.scale;
    long phase = o.phase.toSeconds();
    long step = o.drillStep.toSeconds();
    int users = o.usersPerGroup;
    long think = o.think.toMillis();
    Path out = o.reportDir;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.substring(0, eq);
      }
      if (!OPTIONS.contains(name)) {
        throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
      }
      if (eq > 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("option " + arg + " needs a value\n" + USAGE);
      }
      try {
        switch (name) {
          case "--scale" -> scale = Double.parseDouble(value);
          case "--phase-seconds" -> phase = Long.parseLong(value);
          case "--drill-step-seconds" -> step = Long.parseLong(value);
          case "--users-per-group" -> users = Integer.parseInt(value);
          case "--think-ms" -> think = Long.parseLong(value);
          case "--out" -> out = Path.of(value);
          default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("option " + name + " needs a number, got '" + value + "'\n" + USAGE, e);
      }
    }
    return new DemoOptions(scale, Duration.ofSeconds(phase), Duration.ofSeconds(step), users,
        Duration.ofMillis(think), out);
  }
}
