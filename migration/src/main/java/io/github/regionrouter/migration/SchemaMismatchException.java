package io.github.regionrouter.migration;

import java.util.List;

/**
 * The planned tables differ between the source and the target region: nothing was fenced, copied or deleted.
 * Make the schemas match (run the same migrations on both primaries) and run again.
 */
public final class SchemaMismatchException extends MigrationException {

  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /**
   * @param from     the source region
   * @param to       the target region
   * @param problems every difference found
   */
  public SchemaMismatchException(String from, String to, List<String> problems) {
    super("schemas of the planned tables differ between " + from + " (source) and " + to + " (target); no row "
        + "was moved. Make them match and run again:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Every difference found, one per line of the message. */
  public List<String> problems() {
    return problems;
  }
}
