package io.github.regionrouter.jwt.servlet;

import io.github.regionrouter.RegionContext;
import io.github.regionrouter.WritePosition;
import io.github.regionrouter.jwt.ConsistencyTokenCodec;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;

/**
 * Adds the consistency token header (and, when enabled, the cookie) to the response of a request that
 * wrote, at the last moment it still can: headers cannot change once the response is committed, and the commit can happen on any write (a
 * full buffer), on a flush, on {@code sendError}/{@code sendRedirect}, or after the filter chain returns.
 * So before each of those the header is set (or updated) if the request's context recorded a newer write
 * since the last time. The token is bound to the request's subject, if it has one. A cookie updated within
 * one response is sent again under the same name: the browser keeps the last one.
 *
 * <p>Limitation: a write recorded after the response was committed (e.g. a streamed body that is flushed
 * before the transaction commits) cannot be announced; {@link #finish()} reports it.
 *
 * <p>Thread safety: not thread-safe; used by the request's thread only, like the response it wraps.
 */
final class ConsistencyHeaderResponse extends HttpServletResponseWrapper {

  private final ConsistencyTokenCodec codec;
  private final String headerName;
  private final RegionContext context;
  private final ConsistencyCookie cookie;
  private final HttpServletRequest request;
  private WritePosition announced;
  private ServletOutputStream stream;
  private PrintWriter writer;

  /** Tokens in the header only. */
  ConsistencyHeaderResponse(HttpServletResponse response, ConsistencyTokenCodec codec, String headerName,
      RegionContext context) {
    this(response, codec, headerName, context, null, null);
  }

  /**
   * @param cookie  the cookie carrier, or null when tokens go in the header only
   * @param request the request, to decide whether the cookie must be {@code Secure} (may be null without a
   *                cookie)
   */
  ConsistencyHeaderResponse(HttpServletResponse response, ConsistencyTokenCodec codec, String headerName,
      RegionContext context, ConsistencyCookie cookie, HttpServletRequest request) {
    super(response);
    this.codec = codec;
    this.headerName = headerName;
    this.context = context;
    this.cookie = cookie;
    this.request = request;
  }

  /** Sets or updates the header if the context wrote since it was last set and the response is open. */
  void beforeCommit() {
    WritePosition last = context.lastWriteOrNull();
    if (last == null || last.equals(announced) || !last.region().equals(context.region()) || isCommitted()) {
      return;
    }
    String token = codec.encode(last, context.subjectOrNull());
    setHeader(headerName, token);
    if (cookie != null) {
      addCookie(cookie.create(token, request));
    }
    announced = last;
  }

  /**
   * The end of the filter chain: last chance to set the header.
   *
   * @return false if the request wrote but the response was committed before the write could be announced
   */
  boolean finish() {
    beforeCommit();
    WritePosition last = context.lastWriteOrNull();
    return last == null || !last.region().equals(context.region()) || last.equals(announced);
  }

  @Override
  public void flushBuffer() throws IOException {
    beforeCommit();
    super.flushBuffer();
  }

  @Override
  public void sendError(int sc, String msg) throws IOException {
    beforeCommit();
    super.sendError(sc, msg);
  }

  @Override
  public void sendError(int sc) throws IOException {
    beforeCommit();
    super.sendError(sc);
  }

  @Override
  public void sendRedirect(String location) throws IOException {
    beforeCommit();
    super.sendRedirect(location);
  }

  @Override
  public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
    beforeCommit();
    super.sendRedirect(location, sc, clearBuffer);
  }

  @Override
  public void reset() {
    super.reset(); // clears headers too: announce again
    announced = null;
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    ServletOutputStream out = super.getOutputStream();
    if (stream == null) {
      stream = new AnnouncingOutputStream(out);
    }
    return stream;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    PrintWriter out = super.getWriter();
    if (writer == null) {
      writer = new AnnouncingWriter(out);
    }
    return writer;
  }

  private final class AnnouncingOutputStream extends ServletOutputStream {
    private final ServletOutputStream out;

    AnnouncingOutputStream(ServletOutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      beforeCommit();
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      beforeCommit();
      out.write(b, off, len);
    }

    @Override
    public void write(ByteBuffer buffer) throws IOException {
      beforeCommit();
      out.write(buffer);
    }

    @Override
    public void flush() throws IOException {
      beforeCommit();
      out.flush();
    }

    @Override
    public void close() throws IOException {
      beforeCommit();
      out.close();
    }

    @Override
    public boolean isReady() {
      return out.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      out.setWriteListener(listener);
    }
  }

  private final class AnnouncingWriter extends PrintWriter {
    AnnouncingWriter(PrintWriter out) {
      super(out); // PrintWriter.checkError() consults a wrapped PrintWriter, so errors are not lost
    }

    @Override
    public void write(int c) {
      beforeCommit();
      super.write(c);
    }

    @Override
    public void write(char[] buf, int off, int len) {
      beforeCommit();
      super.write(buf, off, len);
    }

    @Override
    public void write(String s, int off, int len) {
      beforeCommit();
      super.write(s, off, len);
    }

    @Override
    public void println() {
      beforeCommit();
      super.println();
    }

    @Override
    public void flush() {
      beforeCommit();
      super.flush();
    }

    @Override
    public void close() {
      beforeCommit();
      super.close();
    }
  }
}
