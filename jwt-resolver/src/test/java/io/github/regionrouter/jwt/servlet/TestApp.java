package io.github.regionrouter.jwt.servlet;

import io.github.regionrouter.RegionContext;
import io.github.regionrouter.WritePosition;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The application behind the filter. It reports the context it runs in and simulates what the routing
 * data source does after a write ({@code recordWrite}), before or after the response is committed.
 */
final class TestApp extends HttpServlet {

  static final long LSN = WritePosition.parseLsn("3/16B3748");
  private static RegionContext.Scope leaked;

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String uri = request.getRequestURI();
    String action = uri.substring(uri.lastIndexOf('/') + 1);
    RegionContext context = RegionContext.currentOrNull();
    switch (action) {
      case "whoami" -> response.getWriter().print(describe(context));
      case "write" -> {
        recordWrite(context);
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

  static String describe(RegionContext context) {
    if (context == null) {
      return "no context";
    }
    return "region=" + context.region() + " subject=" + context.subject().orElse("-") + " readAfter="
        + context.readAfter().map(WritePosition::toString).orElse("-");
  }
}
