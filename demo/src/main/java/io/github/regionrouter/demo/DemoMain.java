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
}
