package org.appctools.it;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A raw TCP server on 127.0.0.1 for timeout tests: it accepts every connection and then either
 * never sends a byte ({@link Mode#SILENT}: a TLS handshake or an HTTP request waits forever) or
 * sends the headers of a 200 with a 1000-byte Content-Length and 10 bytes of body and stalls
 * ({@link Mode#HEADERS_THEN_STALL}). Connections stay open until {@link #close()}.
 */
final class StallingServer implements AutoCloseable {
  enum Mode { SILENT, HEADERS_THEN_STALL }

  private final ServerSocket server;
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  private StallingServer(Mode mode) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(() -> accept(mode), "stalling-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static StallingServer start(Mode mode) throws IOException {
    return new StallingServer(mode);
  }

  int port() {
    return server.getLocalPort();
  }

  /** {@code http://127.0.0.1:PORT} + path. */
  URI url(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  private void accept(Mode mode) {
    try {
      while (true) {
        Socket s = server.accept();
        held.add(s);
        if (mode == Mode.HEADERS_THEN_STALL) {
          OutputStream out = s.getOutputStream();
          out.write("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n<html>\n<he".getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
      }
    } catch (IOException e) {
      // the server socket was closed: done
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    server.close();
    for (Socket s : held) {
      s.close();
    }
    acceptor.join(5000);
  }
}
