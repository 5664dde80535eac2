package io.github.regionrouter;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects the log lines written while it is open. The tests log through slf4j-simple, which writes every line
 * to whatever {@code System.err} is at that moment, so capturing is swapping it for a tee (the lines still
 * reach the build output). Lines of every thread are captured: the monitor logs on its own threads.
 */
public final class LogCapture implements AutoCloseable {

  private final PrintStream original = System.err;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private LogCapture() {
    System.setErr(new PrintStream(new OutputStream() {
      private final ByteArrayOutputStream line = new ByteArrayOutputStream();

      @Override
      public synchronized void write(int b) {
        original.write(b);
        if (b == '\n') {
          lines.add(line.toString(StandardCharsets.UTF_8));
          line.reset();
        } else {
          line.write(b);
        }
      }
    }, true, StandardCharsets.UTF_8));
  }

  /** Starts capturing. */
  public static LogCapture start() {
    return new LogCapture();
  }

  /** Every line so far. */
  public List<String> lines() {
    return new ArrayList<>(lines);
  }

  /** Lines that contain every one of {@code parts}. */
  public List<String> matching(String... parts) {
    List<String> found = new ArrayList<>();
    for (String l : lines) {
      boolean all = true;
      for (String p : parts) {
        all &= l.contains(p);
      }
      if (all) {
        found.add(l);
      }
    }
    return found;
  }

  @Override
  public void close() {
    System.err.flush();
    System.setErr(original);
  }
}
