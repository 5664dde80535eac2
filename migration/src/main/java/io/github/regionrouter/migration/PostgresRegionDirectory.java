package io.github.regionrouter.migration;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.regionrouter.RegionDirectory;
import io.github.regionrouter.SubjectFencedException;
import io.github.regionrouter.SubjectFence;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The region directory: subject → the region that holds the subject's data, stored in PostgreSQL in the
 * table {@value #TABLE} and cached in memory (Caffeine) for at most {@link Builder#maxStaleness(Duration)}.
 *
 * <p>It is two things for the router:
 * <ul>
 *   <li>a {@link RegionDirectory}: the JWT filter and the starter ask it, after verifying a token, where the
 *       subject's data lives now, so a subject moved after their token was issued is routed to the new
 *       region once the cache entry expires (at most the staleness bound);</li>
 *   <li>a {@link SubjectFence}: give it to {@code RegionRoutingDataSource.Builder.subjectFence(...)}; while a
 *       migration moves a subject, and for good after it moved, that subject's statements on a writable
 *       connection to another region fail with {@link SubjectFencedException} and never run.</li>
 * </ul>
 *
 * <p>Where it lives, and why that respects residency: the table holds subject ids (the {@code iss|sub}
 * strings every app instance already sees in every token), region names, a fence and a timestamp — no row of
 * the subject's data. Put it in one database every app instance can read (its own schema {@code region_router},
 * created by {@link #createSchema()}); reading it through a nearby replica adds that replica's lag to the
 * staleness. Subjects without an entry keep the region of their verified claim.
 *
 * <p>Thread-safe. A look-up that misses the cache costs one indexed query; a failing directory database
 * fails the look-up (closed), it never falls back to the claim's region for a subject it cannot see.
 */
public final class PostgresRegionDirectory implements RegionDirectory, SubjectFence {

  /** The table that holds the directory. */
  public static final String TABLE = "region_router.subject_region";

  private static final Entry NONE = new Entry(null, null);

  private final DataSource dataSource;
  private final Duration maxStaleness;
  private final LoadingCache<String, Entry> cache;

  private PostgresRegionDirectory(Builder b) {
    this.dataSource = b.dataSource;
    this.maxStaleness = b.maxStaleness;
    this.cache = Caffeine.newBuilder()
        .maximumSize(b.maximumSize)
        .expireAfterWrite(b.maxStaleness)
        .ticker(b.ticker)
        .build(this::load);
  }

  /**
   * Returns a builder over the database that stores the directory.
   *
   * @param dataSource where {@value #TABLE} lives (writes go there too, so a primary or a routing data source
   *                   bound to its region)
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
  }

  /** How long a cached entry may be served after it changed in the database. */
  public Duration maxStaleness() {
    return maxStaleness;
  }

  /** Creates the schema and table if they do not exist. Idempotent. */
  public void createSchema() throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS region_router");
      s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (subject text PRIMARY KEY, region text NOT NULL, "
          + "moving_to text, updated_at timestamptz NOT NULL DEFAULT now())");
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException if the directory database cannot be read (fail closed: the caller's
   *                               request fails rather than being routed on a guess)
   */
  @Override
  public Optional<String> regionOf(String subject) {
    Objects.requireNonNull(subject, "subject");
    return Optional.ofNullable(cache.get(subject).region());
  }

  /**
   * Refuses a write of {@code subject} to {@code region} when the subject is being moved (any region), or
   * lives in another region according to the directory.
   *
   * @throws SubjectFencedException          when the write must not happen
   * @throws SQLTransientConnectionException when the directory cannot be read (nothing ran; retry)
   */
  @Override
  public void checkWrite(String region, String subject) throws SQLException {
    Entry e;
    try {
      e = cache.get(subject);
    } catch (IllegalStateException ex) {
      throw new SQLTransientConnectionException(ex.getMessage(), "08006", ex.getCause());
    }
    if (e.region() == null) {
      return;
    }
    if (e.movingTo() != null) {
      throw new SubjectFencedException(subject, region, e.movingTo(), "subject '" + subject + "' is being moved "
          + "from region '" + e.region() + "' to '" + e.movingTo() + "' by a migration; the write to region '"
          + region + "' was not run. Retry shortly: one batch takes seconds, then the subject is served by '"
          + e.movingTo() + "'");
    }
    if (!e.region().equals(region)) {
      throw new SubjectFencedException(subject, region, e.region(), "subject '" + subject + "' lives in region '"
          + e.region() + "' (region directory), not '" + region + "'; the write was not run. Retry: a new "
          + "request is routed to '" + e.region() + "'");
    }
  }

  /** Forgets the cached entries of {@code subjects} in this instance (the migration calls it after a change). */
  public void invalidate(Collection<String> subjects) {
    cache.invalidateAll(subjects);
  }

  /**
   * Records that {@code subject}'s data lives in {@code region} (no fence). For subjects whose region is known
   * outside a migration, e.g. sign-up in the right region.
   */
  public void assign(String subject, String region) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      upsert(c, new String[] {subject}, region, null);
    }
    cache.invalidate(subject);
  }

  /** Fences {@code subjects}: their data is in {@code from} and moving to {@code to}; every write refused. */
  void fence(Connection c, String[] subjects, String from, String to) throws SQLException {
    upsert(c, subjects, from, to);
  }

  /** The subjects now live in {@code region}; the fence is gone (writes elsewhere are refused for good). */
  void flip(Connection c, String[] subjects, String region) throws SQLException {
    upsert(c, subjects, region, null);
  }

  /** Lifts the fence of subjects still in {@code from} after a failed batch: they stay there, writable. */
  void lift(Connection c, String[] subjects, String from) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET moving_to = NULL, updated_at = now() "
        + "WHERE subject = ANY(?) AND region = ?")) {
      ps.setArray(1, c.createArrayOf("text", subjects));
      ps.setString(2, from);
      ps.executeUpdate();
    }
  }

  /** The directory's own connections, for the migration. */
  Connection connection() throws SQLException {
    return dataSource.getConnection();
  }

  private static void upsert(Connection c, String[] subjects, String region, String movingTo) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (subject, region, moving_to) "
        + "SELECT s, ?, ? FROM unnest(?::text[]) AS s ON CONFLICT (subject) DO UPDATE SET region = excluded.region, "
        + "moving_to = excluded.moving_to, updated_at = now()")) {
      ps.setString(1, region);
      ps.setString(2, movingTo);
      ps.setArray(3, c.createArrayOf("text", subjects));
      ps.executeUpdate();
    }
  }

  private Entry load(String subject) {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT region, moving_to FROM " + TABLE + " WHERE subject = ?")) {
      ps.setString(1, subject);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new Entry(rs.getString(1), rs.getString(2)) : NONE;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("region directory " + TABLE + " could not be read (SQLState "
          + e.getSQLState() + "): " + e.getMessage() + "; the request was not routed. Check the directory "
          + "database, or run createSchema() once", e);
    }
  }

  @Override
  public String toString() {
    return "PostgresRegionDirectory[" + TABLE + ", maxStaleness=" + maxStaleness.toMillis() + "ms]";
  }

  /** One directory row; both null when the subject has no entry. */
  private record Entry(String region, String movingTo) {
  }

  /**
   * Builds a {@link PostgresRegionDirectory}. Not thread-safe; build on one thread.
   */
  public static final class Builder {

    private final DataSource dataSource;
    private Duration maxStaleness = Duration.ofSeconds(1);
    private long maximumSize = 100_000;
    private Ticker ticker = Ticker.systemTicker();

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /**
     * How long a cached entry may be served after it changed (default 1 s, at least 10 ms). A migration waits
     * this long after fencing a batch before it copies, so every app instance has seen the fence: use the same
     * value in the application and in the migration.
     *
     * @throws IllegalArgumentException if less than 10 ms
     */
    public Builder maxStaleness(Duration staleness) {
      Objects.requireNonNull(staleness, "maxStaleness");
      if (staleness.compareTo(Duration.ofMillis(10)) < 0) {
        throw new IllegalArgumentException("maxStaleness cannot be less than 10ms, was " + staleness.toMillis()
            + "ms");
      }
      this.maxStaleness = staleness;
      return this;
    }

    /**
     * How many subjects are cached at most (default 100,000).
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder maximumSize(long size) {
      if (size < 0) {
        throw new IllegalArgumentException("maximumSize cannot be negative, was " + size);
      }
      this.maximumSize = size;
      return this;
    }

    /** The cache's time source (tests). Default {@link Ticker#systemTicker()}. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** Builds the directory; it reads the database lazily, on the first look-up. */
    public PostgresRegionDirectory build() {
      return new PostgresRegionDirectory(this);
    }
  }
}
