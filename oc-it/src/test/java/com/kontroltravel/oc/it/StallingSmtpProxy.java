package com.kontroltravel.oc.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback SMTP relay in front of GreenMail that can stall a message at its very end: after
 * {@link #holdAfter(int) n} messages have gone through, it keeps the last byte of each further
 * end-of-data ({@code CRLF.CRLF}) until {@link #release()}. A client stalled there has claimed the
 * message and is waiting for the server's answer. When the client dies meanwhile (SIGKILL), the
 * relay resets the server connection without that byte, so the server never accepts the message:
 * the kill lands provably before the send, and a message counted twice at the server is a real
 * duplicate, not a crash between send and record.
 */
final class StallingSmtpProxy implements AutoCloseable {
  private static final byte[] END = {'\r', '\n', '.', '\r', '\n'};

  private final int targetPort;
  private final ServerSocket server;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicInteger endings = new AtomicInteger();
  private final AtomicInteger held = new AtomicInteger();
  private final AtomicInteger discarded = new AtomicInteger();
  private volatile int passFirst = Integer.MAX_VALUE;
  private volatile boolean holding;

  StallingSmtpProxy(int targetPort) {
    this.targetPort = targetPort;
    try {
      server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getByName(ItMail.HOST), 0), 50);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread t = new Thread(this::accept, "stalling-smtp-proxy");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Lets {@code n} messages through (counted from the start), then holds every further one. */
  void holdAfter(int n) {
    passFirst = n;
    holding = true;
  }

  /** Stops holding: a message held now goes through, and later ones are not held. */
  void release() {
    holding = false;
  }

  /** Messages whose end is being held now. */
  int held() {
    return held.get();
  }

  /** Held messages whose client went away: the server never got their end. */
  int discarded() {
    return discarded.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket();
        upstream.connect(new InetSocketAddress(ItMail.HOST, targetPort), 5000);
        open.add(client);
        open.add(upstream);
        thread(() -> fromClient(client, upstream));
        thread(() -> toClient(upstream, client));
      } catch (IOException e) {
        // closed, or GreenMail refused: the client sees its connection fail
      }
    }
  }

  private static void thread(Runnable r) {
    Thread t = new Thread(r, "stalling-smtp-pump");
    t.setDaemon(true);
    t.start();
  }

  private void toClient(Socket upstream, Socket client) {
    byte[] buf = new byte[16 * 1024];
    try (InputStream in = upstream.getInputStream();
        OutputStream out = client.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // either side closed
    } finally {
      closeQuietly(client);
    }
  }

  /**
   * Client to server, byte for byte through a matcher of {@code CRLF.CRLF}. Reads time out every
   * 100 ms so a held end is let go soon after {@link #release()}; the loop ends when either side
   * closes (the client dies, or {@link #close()}).
   */
  private void fromClient(Socket client, Socket upstream) {
    byte[] buf = new byte[16 * 1024];
    int matched = 0;
    ByteArrayOutputStream heldBytes = null;
    try {
      client.setSoTimeout(100);
      InputStream in = client.getInputStream();
      OutputStream out = upstream.getOutputStream();
      while (true) {
        int n;
        try {
          n = in.read(buf);
        } catch (SocketTimeoutException timeout) {
          if (heldBytes != null && !holding) {
            out.write(heldBytes.toByteArray());
            out.flush();
            heldBytes = null;
            held.decrementAndGet();
          }
          continue;
        }
        if (n < 0) {
          break;
        }
        int from = 0;
        for (int i = 0; i < n; i++) {
          if (heldBytes != null) {
            continue; // the client is waiting for an answer; anything more stays held too
          }
          byte b = buf[i];
          matched = b == END[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
          if (matched == END.length) {
            matched = 0;
            int ending = endings.incrementAndGet();
            if (holding && ending > passFirst) {
              out.write(buf, from, i - from);
              out.flush();
              heldBytes = new ByteArrayOutputStream();
              held.incrementAndGet();
              from = i;
            }
          }
        }
        if (heldBytes != null) {
          heldBytes.write(buf, from, n - from);
        } else {
          out.write(buf, from, n - from);
          out.flush();
        }
      }
    } catch (IOException e) {
      // either side closed
    } finally {
      if (heldBytes != null) {
        held.decrementAndGet();
        discarded.incrementAndGet();
      }
      try {
        upstream.setSoLinger(true, 0); // a reset: the server drops the unfinished message
      } catch (IOException e) {
        // already closed
      }
      closeQuietly(upstream);
      closeQuietly(client);
    }
  }

  private void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing
    }
    open.remove(s);
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing
    }
    for (Socket s : open) {
      closeQuietly(s);
    }
  }
}
