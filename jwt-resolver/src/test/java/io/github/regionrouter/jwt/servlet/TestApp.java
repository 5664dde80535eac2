package io.github.regionrouter.jwt.servlet;

import io.github.regionrouter.RegionContext;
import io.github.regionrouter.WritePosition;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application behind the filter. It reports the context it runs in and simulates what the routing
 * data source does after a write ({@code recordWrite}), before or after the response is committed. A write
 * is at {@link #LSN} unless the request names a position: {@code ?lsn=X/Y} or {@code ?committedAt=millis}.
 * {@link #reached} counts the requests that got past the filters.
 */
final class TestApp extends HttpServlet {

  static final long LSN = WritePosition.parseLsn("3/16B3748");
  private static RegionContext.Scope leaked;

  /** Requests the application was called for. */
  final transient AtomicInteger reached = new AtomicInteger();

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    reached.incrementAndGet();
    String uri = request.getRequestURI();
    String action = uri.substring(uri.lastIndexOf('/') + 1);
    RegionContext context = RegionContext.currentOrNull();
    switch (action) {
      case "whoami" -> response.getWriter().print(describe(context));
      case "write" -> {
        recordWrite(context, request);
        response.getWriter().print("wrote " + describe(context));
      }
      case "write-after-commit" -> {
        response.getWriter().print("streaming");
        response.flushBuffer();
        recordWrite(context);
      }
      case "write-then-flush" -> {
        recordWrite(context);
        response.getWriter().print("flushed");
        response.getWriter().flush();
      }
      case "write-then-stream" -> {
        recordWrite(context);
        OutputStream out = response.getOutputStream();
        byte[] chunk = new byte[8192];
        for (int i = 0; i < 64; i++) { // 512 KiB: the container commits mid-way, on a full buffer
          out.write(chunk);
        }
      }
      case "write-then-error" -> {
        recordWrite(context);
        response.sendError(409, "conflict");
      }
      case "write-then-redirect" -> {
        recordWrite(context);
        response.sendRedirect("/elsewhere");
      }
      case "write-then-throw" -> {
        recordWrite(context);
        throw new IllegalStateException("application failure after a write");
      }
      case "leak" -> {
        // An application bug: a scope opened and never closed.
        RegionContext.Scope scope = RegionContext.open("us", "leaker");
        if (uri.startsWith("/unguarded/")) {
          leaked = scope;
        }
        response.getWriter().print("leaked");
      }
      case "cleanup" -> {
        if (leaked != null) {
          leaked.close();
          leaked = null;
        }
        response.getWriter().print("cleaned");
      }
      default -> response.sendError(404);
    }
  }

  private static void recordWrite(RegionContext context) {
    context.recordWrite(new WritePosition(context.region(), LSN));
  }

  private static void recordWrite(RegionContext context, HttpServletRequest request) {
    String lsn = request.getParameter("lsn");
    String committedAt = request.getParameter("committedAt");
    if (lsn != null) {
      context.recordWrite(new WritePosition(context.region(), WritePosition.parseLsn(lsn)));
    } else if (committedAt != null) {
      context.recordWrite(WritePosition.committedAt(context.region(), Long.parseLong(committedAt)));
    } else {
      recordWrite(context);
    }
  }

  static String describe(RegionContext context) {
    if (context == null) {
      return "no context";
    }
    return "region=" + context.region() + " subject=" + context.subject().orElse("-") + " readAfter="
        + context.readAfter().map(WritePosition::toString).orElse("-");
  }
}
