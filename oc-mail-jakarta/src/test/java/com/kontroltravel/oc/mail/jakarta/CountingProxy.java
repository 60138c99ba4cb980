package com.kontroltravel.oc.mail.jakarta;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback in front of a mail server: counts the connections clients open, knows how
 * many are open now, and can cut them all (as a server dropping its sessions would). Bytes pass
 * through untouched, so STARTTLS and AUTH work as with the server itself. Daemon threads with
 * socket timeouts: nothing here can hang a test for long.
 */
final class CountingProxy implements AutoCloseable {
  private final int targetPort;
  private final ServerSocket socket;
  private final AtomicInteger accepted = new AtomicInteger();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Set<Socket> clients = ConcurrentHashMap.newKeySet();

  CountingProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.socket = new ServerSocket(0, 50, InetAddress.getByName(TestMailServer.HOST));
    Thread t = new Thread(this::acceptLoop, "counting-proxy");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  /** Connections accepted so far. */
  int connections() {
    return accepted.get();
  }

  /** Client connections open now. */
  int openConnections() {
    return (int) clients.stream().filter(s -> !s.isClosed()).count();
  }

  /** Cuts every open connection, on both sides. */
  void dropAll() {
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException e) {
        // already gone
      }
    }
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        accepted.incrementAndGet();
        Socket server = new Socket(TestMailServer.HOST, targetPort);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        client.setSoTimeout(30_000);
        server.setSoTimeout(30_000);
        clients.add(client);
        open.add(client);
        open.add(server);
        pump(client, server);
        pump(server, client);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                byte[] buf = new byte[16 * 1024];
                for (int n; (n = in.read(buf)) >= 0; ) {
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // closed on one side
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "counting-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // ignore
    }
    open.remove(s);
    clients.remove(s);
  }

  @Override
  public void close() throws IOException {
    socket.close();
    dropAll();
  }
}
