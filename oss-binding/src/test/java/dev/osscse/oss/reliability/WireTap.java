package dev.osscse.oss.reliability;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A recording HTTP/1.1 forwarder on 127.0.0.1 between a client and a local endpoint: the client's
 * own view of each exchange. It forwards every byte unchanged and records what the client received
 * for each request: the status, the CRC-64 header, the body bytes, and how the body ended
 * (complete, connection reset, or closed early). A reset from the server is passed on as a reset,
 * an early close as a close. Used by the fault tests to decide, from what the client saw, whether
 * an injected fault had an effect.
 */
final class WireTap implements Closeable {
  /** How a reply's body ended, as the client saw it. */
  enum End {
    COMPLETE,
    RESET,
    CLOSED_EARLY,
    /** The client stopped reading (closed its side); not a fault. */
    CLIENT_CLOSED
  }

  /** The server reset the connection. */
  private static final class UpstreamReset extends IOException {
    private static final long serialVersionUID = 1L;
  }

  /** The client closed its connection while a reply was forwarded. */
  private static final class ClientGone extends IOException {
    private static final long serialVersionUID = 1L;
  }

  /** One request and what came back. */
  record Exchange(
      String method, String target, String range, int status, String crc, byte[] body, End end) {}

  private final ServerSocket server;
  private final String upstreamHost;
  private final int upstreamPort;
  private final List<Exchange> exchanges = new ArrayList<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;

  /** Starts forwarding a free local port to {@code upstream} ({@code http://host:port}). */
  WireTap(String upstream) throws IOException {
    URI u = URI.create(upstream);
    this.upstreamHost = u.getHost();
    this.upstreamPort = u.getPort();
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::acceptLoop, "wiretap-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The endpoint to give the client. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** Returns the exchanges recorded since the last call, in completion order, and forgets them. */
  synchronized List<Exchange> drain() {
    List<Exchange> out = new ArrayList<>(exchanges);
    exchanges.clear();
    return out;
  }

  private synchronized void record(Exchange e) {
    exchanges.add(e);
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread t = new Thread(() -> serve(client), "wiretap-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket client) {
    open.add(client);
    try (client) {
      InputStream cin = new BufferedInputStream(client.getInputStream());
      OutputStream cout = clientSide(client.getOutputStream());
      while (true) {
        Head req = Head.read(cin);
        if (req == null) {
          return;
        }
        try (Socket up = new Socket(upstreamHost, upstreamPort)) {
          open.add(up);
          End end = exchange(req, cin, cout, up);
          if (end == End.RESET) {
            reset(client);
            return;
          }
          if (end != End.COMPLETE) {
            return;
          }
        }
      }
    } catch (IOException e) {
      // the client went away; nothing to record
    } finally {
      open.remove(client);
    }
  }

  /**
   * Forwards one request on a fresh upstream connection and records it. Returns how to go on with
   * the client connection: COMPLETE keeps it, RESET resets it, anything else closes it.
   */
  private End exchange(Head req, InputStream cin, OutputStream cout, Socket up) throws IOException {
    try {
      InputStream uin = new BufferedInputStream(upstreamSide(up.getInputStream()));
      OutputStream uout = up.getOutputStream();
      String[] line = req.firstLine.split(" ", 3);
      String method = line[0];
      String range = req.header("range");
      Head resp;
      try {
        uout.write(req.raw);
        forwardBody(cin, uout, req, null);
        uout.flush();
        resp = Head.read(uin);
      } catch (UpstreamReset | SocketException e) {
        record(new Exchange(method, line[1], range, -1, null, new byte[0], End.RESET));
        return End.RESET;
      }
      if (resp == null) {
        record(new Exchange(method, line[1], range, -1, null, new byte[0], End.CLOSED_EARLY));
        return End.CLOSED_EARLY;
      }
      int status = Integer.parseInt(resp.firstLine.split(" ", 3)[1]);
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      End end;
      try {
        cout.write(resp.raw);
        if (method.equals("HEAD") || status == 204 || status == 304) {
          end = End.COMPLETE;
        } else {
          end = forwardBody(uin, cout, resp, body);
        }
        cout.flush();
      } catch (ClientGone e) {
        end = End.CLIENT_CLOSED;
      }
      record(
          new Exchange(
              method,
              line[1],
              range,
              status,
              resp.header("x-oss-hash-crc64ecma"),
              body.toByteArray(),
              end));
      return end == End.COMPLETE && "close".equalsIgnoreCase(resp.header("connection"))
          ? End.CLOSED_EARLY
          : end;
    } finally {
      open.remove(up);
    }
  }

  private static void reset(Socket client) throws IOException {
    client.setSoLinger(true, 0);
    client.close();
  }

  /** Forwards a message body framed by Content-Length or chunked coding; records it if asked. */
  private static End forwardBody(
      InputStream in, OutputStream out, Head head, ByteArrayOutputStream rec) throws IOException {
    try {
      if ("chunked".equalsIgnoreCase(head.header("transfer-encoding"))) {
        while (true) {
          String sizeLine = readLine(in);
          if (sizeLine == null) {
            return End.CLOSED_EARLY;
          }
          out.write((sizeLine + "\r\n").getBytes(StandardCharsets.US_ASCII));
          int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
          if (size == 0) {
            String trailer;
            do {
              trailer = readLine(in);
              if (trailer == null) {
                return End.CLOSED_EARLY;
              }
              out.write((trailer + "\r\n").getBytes(StandardCharsets.US_ASCII));
            } while (!trailer.isEmpty());
            return End.COMPLETE;
          }
          if (copy(in, out, size, rec) < size) {
            return End.CLOSED_EARLY;
          }
          String crlf = readLine(in);
          if (crlf == null) {
            return End.CLOSED_EARLY;
          }
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
      }
      String cl = head.header("content-length");
      long length = cl == null ? 0 : Long.parseLong(cl.trim());
      return copy(in, out, length, rec) < length ? End.CLOSED_EARLY : End.COMPLETE;
    } catch (UpstreamReset e) {
      out.flush();
      return End.RESET;
    }
  }

  private static InputStream upstreamSide(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        try {
          return super.read();
        } catch (SocketException e) {
          throw new UpstreamReset();
        }
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return super.read(b, off, len);
        } catch (SocketException e) {
          throw new UpstreamReset();
        }
      }
    };
  }

  private static OutputStream clientSide(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        try {
          out.write(b, off, len);
        } catch (IOException e) {
          throw new ClientGone();
        }
      }

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void flush() throws IOException {
        try {
          out.flush();
        } catch (IOException e) {
          throw new ClientGone();
        }
      }
    };
  }

  private static long copy(InputStream in, OutputStream out, long n, ByteArrayOutputStream rec)
      throws IOException {
    byte[] buf = new byte[8192];
    long done = 0;
    while (done < n) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n - done));
      if (r < 0) {
        out.flush();
        return done;
      }
      out.write(buf, 0, r);
      if (rec != null) {
        rec.write(buf, 0, r);
      }
      done += r;
    }
    return done;
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    return null;
  }

  /** A request or status line with its headers, kept verbatim for forwarding. */
  private static final class Head {
    final byte[] raw;
    final String firstLine;
    final List<String[]> headers = new ArrayList<>();

    private Head(byte[] raw, List<String> lines) {
      this.raw = raw;
      this.firstLine = lines.get(0);
      for (String l : lines.subList(1, lines.size())) {
        int colon = l.indexOf(':');
        if (colon > 0) {
          headers.add(
              new String[] {
                l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim()
              });
        }
      }
    }

    String header(String lowerName) {
      for (String[] h : headers) {
        if (h[0].equals(lowerName)) {
          return h[1];
        }
      }
      return null;
    }

    /** Reads up to and including the empty line; null on a clean end of stream before any byte. */
    static Head read(InputStream in) throws IOException {
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      List<String> lines = new ArrayList<>();
      while (true) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
          line.write(c);
        }
        if (c < 0) {
          if (raw.size() == 0 && line.size() == 0) {
            return null;
          }
          throw new SocketException("connection closed inside a message head");
        }
        raw.write(line.toByteArray());
        raw.write('\n');
        String s = line.toString(StandardCharsets.US_ASCII);
        if (s.endsWith("\r")) {
          s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty()) {
          if (lines.isEmpty()) {
            continue; // stray CRLF between messages
          }
          return new Head(raw.toByteArray(), lines);
        }
        lines.add(s);
      }
    }
  }
}
