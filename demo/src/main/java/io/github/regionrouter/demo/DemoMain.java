package io.github.regionrouter.demo;

/**
 * The command: {@code java -jar demo/target/region-router-demo.jar [--scale X] ...}. Runs the demo, prints the
 * tables, the report's path and a last {@code SUMMARY} line; exits 0 when every promise held, 1 when one broke,
 * 2 on a bad option, 3 when the demo itself could not run.
 */
public final class DemoMain {

  private DemoMain() {
  }

  /**
   * Runs the demo.
   *
   * @param args options, see {@link DemoOptions#USAGE}
   */
  public static void main(String[] args) {
    quietLogs();
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(DemoOptions.USAGE);
      return;
    }
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    DemoResult result;
    try {
      result = new Demo(options, System.out).run();
    } catch (Exception e) {
      System.err.println("[demo] the demo could not run: " + e);
      e.printStackTrace();
      System.exit(3);
      return;
    }
    if (!result.promisesKept()) {
      System.err.println("[demo] a promise broke: see the Promises section of " + result.report());
      System.exit(1);
    }
    System.exit(0);
  }

  /**
   * Keeps the console to the demo's own lines and the router's warnings (a node down, a split brain), which are
   * part of the story; everything else only when it is an error. {@code -Dorg.slf4j.simpleLogger.*} overrides.
   */
  private static void quietLogs() {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "error"));
    System.setProperty("org.slf4j.simpleLogger.log.io.github.regionrouter",
        System.getProperty("org.slf4j.simpleLogger.log.io.github.regionrouter", "warn"));
    System.setProperty("org.slf4j.simpleLogger.log.io.github.regionrouter.testing",
        System.getProperty("org.slf4j.simpleLogger.log.io.github.regionrouter.testing", "error"));
    // Tomcat logs through java.util.logging: start-up and shut-down chatter, and thread-leak warnings about the
    // pools the demo closes right after it.
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.SEVERE);
    for (java.util.logging.Handler h : java.util.logging.Logger.getLogger("").getHandlers()) {
      h.setLevel(java.util.logging.Level.SEVERE);
    }
  }
}
