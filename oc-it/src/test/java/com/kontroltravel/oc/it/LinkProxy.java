package com.kontroltravel.oc.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on a loopback port in front of a server, that the outage test cuts (the listening
 * socket closes and every open connection is reset: clients see the server as down) and restores on
 * the same port. Used instead of stopping GreenMail, whose {@code stop()} discards its mailboxes.
 */
final class LinkProxy implements AutoCloseable {
  private final int targetPort;
  private final int port;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile ServerSocket server;
  private volatile boolean closed;

  LinkProxy(int targetPort) {
    this.targetPort = targetPort;
    this.port = ItMail.freePort();
    restore();
  }

  int port() {
    return port;
  }

  /** Starts accepting again on the same port. */
  synchronized void restore() {
    if (server != null && !server.isClosed()) {
      return;
    }
    try {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(ItMail.HOST), port), 50);
      server = s;
      Thread t = new Thread(() -> accept(s), "link-proxy-" + port);
      t.setDaemon(true);
      t.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Refuses new connections and resets the open ones. */
  synchronized void cut() {
    try {
      if (server != null) {
        server.close();
      }
    } catch (IOException e) {
      // closing
    }
    open.forEach(LinkProxy::reset);
    open.clear();
  }

  private void accept(ServerSocket s) {
    while (!s.isClosed() && !closed) {
      try {
        Socket client = s.accept();
        // A connection accepted in the instant before a cut must not outlive it: registered
        // under the cut's lock, or reset here when the cut came first.
        if (!register(s, client)) {
          continue;
        }
        Socket upstream = new Socket();
        upstream.connect(new InetSocketAddress(ItMail.HOST, targetPort), 5000);
        if (!register(s, upstream)) {
          reset(client);
          continue;
        }
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        // the listening socket was closed (cut) or the upstream refused
      }
    }
  }

  /** Adds {@code socket} to the open ones unless {@code s} was cut; resets it if so. */
  private synchronized boolean register(ServerSocket s, Socket socket) {
    if (s.isClosed() || server != s) {
      reset(socket);
      return false;
    }
    open.add(socket);
    return true;
  }

  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // cut or closed
              } finally {
                try {
                  from.close();
                  to.close();
                } catch (IOException e) {
                  // closing
                }
                open.remove(from);
                open.remove(to);
              }
            },
            "link-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    closed = true;
    cut();
  }
}
