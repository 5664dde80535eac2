package io.github.regionrouter.internal;

/**
 * One poll of one node: either what it answered or how it failed. Immutable.
 *
 * @param ok          whether the node answered
 * @param inRecovery  {@code pg_is_in_recovery()}
 * @param lsn         current WAL position (primary) or replay position (standby); 0 when null
 * @param rttNanos    the poll's round trip; -1 when it did not answer or the connection was new
 * @param systemId    {@code pg_control_system().system_identifier}, 0 when unknown or not readable
 * @param atNanos     when the answer arrived
 * @param refused     whether the failure was a refused connection (down at once)
 * @param error       the failure's message, or null
 * @param insertLsn   a primary's {@code pg_current_wal_insert_lsn()}, 0 on a standby or a failure
 * @param startNanos  when the poll's statement was sent (the monitor's ticker); pins resolve against it
 * @param startMillis the same instant on the wall clock, for commit times carried in from other instances
 */
record Sample(boolean ok, boolean inRecovery, long lsn, long rttNanos, long systemId, long atNanos,
    boolean refused, String error, long insertLsn, long startNanos, long startMillis) {

  static Sample answered(boolean inRecovery, long lsn, long rttNanos, long systemId, long atNanos) {
    return new Sample(true, inRecovery, lsn, rttNanos, systemId, atNanos, false, null, 0, 0, 0);
  }

  static Sample answered(boolean inRecovery, long lsn, long rttNanos, long systemId, long atNanos,
      long insertLsn, long startNanos, long startMillis) {
    return new Sample(true, inRecovery, lsn, rttNanos, systemId, atNanos, false, null, insertLsn, startNanos,
        startMillis);
  }

  static Sample failed(boolean refused, String error, long atNanos) {
    return new Sample(false, false, 0, -1, 0, atNanos, refused, error, 0, 0, 0);
  }
}
