package io.github.regionrouter.migration;

/**
 * Hears a migration's progress. Called on the migration's thread, between steps: keep it quick. Every method
 * has an empty default.
 */
public interface MigrationListener {

  /** The steps of one batch, in order. */
  enum Phase {
    /** The batch's subjects are fenced in the directory (their writes are refused). */
    FENCED,
    /** The rows are copied into the open target transaction. */
    COPIED,
    /** Both servers' per-row checksums match. */
    VERIFIED,
    /** The target transaction (rows and journal) is committed. */
    TARGET_COMMITTED,
    /** The directory routes the subjects to the target region. */
    DIRECTORY_FLIPPED,
    /** The rows are deleted from the source (committed). */
    SOURCE_DELETED
  }

  /** A batch reached {@code phase}. An exception thrown here stops the run as a crash at that point would. */
  default void phase(int batch, Phase phase) {
  }

  /** A batch finished (or, in a dry run, was verified and rolled back). */
  default void progress(MigrationProgress progress) {
  }

  /** The run paused; {@link MigrationPausedException} follows with the same report. */
  default void paused(PauseReport report) {
  }
}
