package io.github.regionrouter.migration;

/**
 * Why a run paused, and on what. For a checksum mismatch every field is set; for other failures the row fields
 * may be null.
 *
 * @param migration      the migration's name
 * @param batch          the batch number in the journal
 * @param reason         what went wrong, in a sentence
 * @param subject        the subject whose row differs (router form), or null
 * @param table          the table, or null
 * @param key            the row's primary key as text (comma-separated when composite), or null
 * @param sourceChecksum md5 of the row's canonical text computed by the source server, null when missing there
 * @param targetChecksum the same computed by the target server, null when missing there
 * @param rolledBack     true when the batch was undone (target rolled back, fence lifted, source untouched);
 *                       false when it stays in doubt (rows committed on the target, subjects fenced) until a
 *                       run resumes it
 */
public record PauseReport(String migration, int batch, String reason, String subject, String table, String key,
    String sourceChecksum, String targetChecksum, boolean rolledBack) {

  /** The report as one message: what, where, and what to do. */
  public String describe() {
    StringBuilder sb = new StringBuilder("migration '").append(migration).append("' paused at batch ").append(batch)
        .append(": ").append(reason);
    if (table != null) {
      sb.append(" [subject '").append(subject).append("', table ").append(table).append(", key ").append(key)
          .append(", source md5 ").append(sourceChecksum == null ? "(row missing)" : sourceChecksum)
          .append(", target md5 ").append(targetChecksum == null ? "(row missing)" : targetChecksum).append(']');
    }
    sb.append(rolledBack
        ? ". The batch was rolled back on the target, its fence lifted, nothing deleted from the source. "
        + "Fix the cause and run again: finished batches are skipped"
        : ". The batch's rows are committed on the target and its subjects stay fenced; run again to resume it");
    return sb.toString();
  }
}
