package io.github.regionrouter;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Who is asking and for which region: the routing input of every connection borrowed on this thread.
 *
 * <p>A context is opened for a unit of work (typically one HTTP request) and closed with
 * try-with-resources:
 * <pre>{@code
 * try (RegionContext.Scope scope = RegionContext.open("eu", "user-42")) {
 *   try (Connection c = dataSource.getConnection()) { ... }
 * }
 * }</pre>
 * Scopes nest: closing an inner scope restores the outer one. {@link #wrap(Runnable)} and
 * {@link #wrap(Callable)} carry the current context to another thread.
 *
 * <p>The context also remembers the newest write made through it ({@link #lastWrite()}), so that a read
 * later in the same scope sees that write (rule 4, subject or not), and so that a servlet filter can hand a
 * consistency token to the client. A position carried in from elsewhere ({@link #readAfter()}, e.g. from a
 * verified consistency token issued by another app instance) gives the same guarantee.
 *
 * <p>Thread safety: a context object is safe to share between the threads {@code wrap} hands it to; the
 * current context itself is per thread.
 */
public final class RegionContext {

  private static final ThreadLocal<RegionContext> CURRENT = new ThreadLocal<>();

  private final String region;
  private final String subject;
  private final WritePosition readAfter;
  private final AtomicReference<WritePosition> lastWrite = new AtomicReference<>();

  private RegionContext(String region, String subject, WritePosition readAfter) {
    this.region = region;
    this.subject = subject;
    this.readAfter = readAfter;
  }

  /**
   * Opens a context for {@code region} with no subject.
   *
   * @throws NullPointerException     if {@code region} is null
   * @throws IllegalArgumentException if {@code region} is blank
   */
  public static Scope open(String region) {
    return open(region, null, null);
  }

  /**
   * Opens a context for {@code region} on behalf of {@code subject} (may be null).
   *
   * @throws NullPointerException     if {@code region} is null
   * @throws IllegalArgumentException if {@code region} or {@code subject} is blank
   */
  public static Scope open(String region, String subject) {
    return open(region, subject, null);
  }

  /**
   * Opens a context whose reads must see at least {@code readAfter} (may be null) when they are routed to
   * {@code readAfter.region()}.
   *
   * @throws NullPointerException     if {@code region} is null
   * @throws IllegalArgumentException if {@code region} or {@code subject} is blank
   */
  public static Scope open(String region, String subject, WritePosition readAfter) {
    Objects.requireNonNull(region, "region");
    if (region.isBlank()) {
      throw new IllegalArgumentException("region must not be blank");
    }
    if (subject != null && subject.isBlank()) {
      throw new IllegalArgumentException("subject must not be blank (pass null for no subject)");
    }
    return new Scope(new RegionContext(region, subject, readAfter));
  }

  /** Returns the context open on this thread, if any. */
  public static Optional<RegionContext> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  /** The context open on this thread, or null; for hot paths (no allocation). */
  public static RegionContext currentOrNull() {
    return CURRENT.get();
  }

  /**
   * Returns a runnable that runs {@code task} under the context current now (or under none), restoring the
   * other thread's own context afterwards.
   */
  public static Runnable wrap(Runnable task) {
    Objects.requireNonNull(task, "task");
    RegionContext captured = CURRENT.get();
    return () -> {
      RegionContext previous = CURRENT.get();
      CURRENT.set(captured);
      try {
        task.run();
      } finally {
        restore(previous);
      }
    };
  }

  /** Like {@link #wrap(Runnable)}, for a {@link Callable}. */
  public static <T> Callable<T> wrap(Callable<T> task) {
    Objects.requireNonNull(task, "task");
    RegionContext captured = CURRENT.get();
    return () -> {
      RegionContext previous = CURRENT.get();
      CURRENT.set(captured);
      try {
        return task.call();
      } finally {
        restore(previous);
      }
    };
  }

  /**
   * Makes {@code context} (an existing context, shared with the thread it came from, or null for none) the
   * current context of this thread, and returns a scope that restores the previous one when closed. Meant
   * for context-propagation libraries (Micrometer's {@code ThreadLocalAccessor}, task decorators), which
   * carry the context object itself: writes recorded on either thread are seen by both.
   */
  public static Scope attach(RegionContext context) {
    return new Scope(context);
  }

  private static void restore(RegionContext previous) {
    if (previous == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(previous);
    }
  }

  /** The region every connection of this context serves. */
  public String region() {
    return region;
  }

  /** The subject (who is asking), if known; pins are kept per (region, subject). */
  public Optional<String> subject() {
    return Optional.ofNullable(subject);
  }

  /** The subject or null, without allocating. */
  public String subjectOrNull() {
    return subject;
  }

  /** A write position carried in from elsewhere that reads of this context must see. */
  public Optional<WritePosition> readAfter() {
    return Optional.ofNullable(readAfter);
  }

  /** The carried-in position or null, without allocating. */
  public WritePosition readAfterOrNull() {
    return readAfter;
  }

  /** The newest write made through this context, if it wrote. */
  public Optional<WritePosition> lastWrite() {
    return Optional.ofNullable(lastWrite.get());
  }

  /** The newest write or null, without allocating. */
  public WritePosition lastWriteOrNull() {
    return lastWrite.get();
  }

  /**
   * Records that a connection of this context wrote at {@code position}; keeps the newest per region of
   * the context (a write to another region through a default-region fallback is not recorded here).
   * Called by the routing data source when a writing connection closes.
   */
  public void recordWrite(WritePosition position) {
    Objects.requireNonNull(position, "position");
    lastWrite.accumulateAndGet(position, (old, now) ->
        old == null || !old.region().equals(now.region()) ? now : old.max(now));
  }

  @Override
  public String toString() {
    return "RegionContext[region=" + region + ", subject=" + (subject == null ? "-" : subject)
        + (readAfter == null ? "" : ", readAfter=" + readAfter)
        + (lastWrite.get() == null ? "" : ", lastWrite=" + lastWrite.get()) + "]";
  }

  /**
   * An open context; closing it restores the context that was current when it was opened.
   * Not thread-safe: close it on the thread that opened it.
   */
  public static final class Scope implements AutoCloseable {
    private final RegionContext context;
    private final RegionContext previous;
    private boolean closed;

    private Scope(RegionContext context) {
      this.context = context;
      this.previous = CURRENT.get();
      restore(context); // null (attach(null)) clears the thread's context
    }

    /** The context this scope opened (null only for {@link RegionContext#attach(RegionContext) attach(null)}). */
    public RegionContext context() {
      return context;
    }

    /** Restores the outer context (or none). Idempotent. */
    @Override
    public void close() {
      if (!closed) {
        closed = true;
        restore(previous);
      }
    }
  }
}
