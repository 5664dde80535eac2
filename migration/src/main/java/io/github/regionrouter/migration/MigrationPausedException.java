package io.github.regionrouter.migration;

/** A run paused rather than risk corrupting data; {@link #report()} says on what. Run again to resume. */
public final class MigrationPausedException extends MigrationException {

  private static final long serialVersionUID = 1L;

  private final transient PauseReport report;

  /**
   * @param report what paused the run
   * @param cause  the underlying failure, or null for a checksum mismatch
   */
  public MigrationPausedException(PauseReport report, Throwable cause) {
    super(report.describe(), cause);
    this.report = report;
  }

  /** What paused the run. */
  public PauseReport report() {
    return report;
  }
}
