package com.kontroltravel.oc.examples.adapters;

import com.kontroltravel.oc.model.FetchBatch;
import com.kontroltravel.oc.model.InboundMessage;
import com.kontroltravel.oc.model.MailboxCursor;
import com.kontroltravel.oc.model.OutboundMessage;
import com.kontroltravel.oc.model.SendResult;
import com.kontroltravel.oc.spi.MailGateway;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Example of a {@link MailGateway} decorator: for a staging environment, sends every outbound
 * message to one test address instead of its recipients (no agency ever gets a staging email), and
 * passes everything else through to the real gateway.
 *
 * <pre>{@code
 * MailGateway real = JakartaMailGateway.create(settings);
 * OcEngine engine = OcEngine.builder()
 *     .mailGateway(StagingRedirectMailGateway.wrap(real, "qa-inbox@kontroltravel.com"))
 *     ...
 * }</pre>
 *
 * <p>Subject, bodies, Message-ID, threading and attachments are unchanged, so staging shows exactly
 * what production would send; To becomes the test address and Cc is dropped. The original
 * recipients are kept (by Message-ID) and logged, so testers can see who would have been written
 * to. Thread safe when the wrapped gateway is.
 */
public final class StagingRedirectMailGateway implements MailGateway {
  private static final Logger log = LoggerFactory.getLogger(StagingRedirectMailGateway.class);
  private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+");

  /**
   * Who a redirected message was meant for.
   *
   * @param to the original To
   * @param cc the original Cc
   */
  public record Original(List<String> to, List<String> cc) {}

  private final MailGateway delegate;
  private final String testAddress;
  private final Map<String, Original> originals = new ConcurrentHashMap<>();

  private StagingRedirectMailGateway(MailGateway delegate, String testAddress) {
    this.delegate = delegate;
    this.testAddress = testAddress;
  }

  /**
   * Wraps {@code delegate} so that everything it sends goes to {@code testAddress}.
   *
   * @throws IllegalArgumentException when {@code testAddress} is not an email address
   */
  public static StagingRedirectMailGateway wrap(MailGateway delegate, String testAddress) {
    Objects.requireNonNull(delegate, "delegate == null");
    Objects.requireNonNull(testAddress, "testAddress == null");
    if (!ADDRESS.matcher(testAddress.trim()).matches()) {
      throw new IllegalArgumentException("not an email address: " + testAddress);
    }
    return new StagingRedirectMailGateway(delegate, testAddress.trim());
  }

  /** The address everything is sent to. */
  public String testAddress() {
    return testAddress;
  }

  /** Who the message with this Message-ID was meant for, if it went through this gateway. */
  public Optional<Original> original(String messageId) {
    return Optional.ofNullable(originals.get(messageId));
  }

  @Override
  public String mailbox() {
    return delegate.mailbox();
  }

  @Override
  public FetchBatch fetch(MailboxCursor after, int maxMessages) {
    return delegate.fetch(after, maxMessages);
  }

  @Override
  public SendResult send(OutboundMessage m) {
    Objects.requireNonNull(m, "message == null");
    originals.put(m.messageId(), new Original(m.to(), m.cc()));
    log.info(
        "staging: {} for {} (cc {}) redirected to {}", m.messageId(), m.to(), m.cc(), testAddress);
    return delegate.send(
        new OutboundMessage(
            m.messageId(),
            m.replyTo(),
            List.of(testAddress),
            List.of(),
            m.subject(),
            m.textBody(),
            m.htmlBody(),
            m.inReplyTo(),
            m.references(),
            m.attachments()));
  }

  @Override
  public SentCheck findSent(String messageId) {
    return delegate.findSent(messageId);
  }

  @Override
  public Optional<AutoCloseable> subscribe(Runnable onNewMail) {
    return delegate.subscribe(onNewMail);
  }

  @Override
  public void markProcessed(InboundMessage message) {
    delegate.markProcessed(message);
  }

  @Override
  public void markAllProcessed(List<InboundMessage> messages) {
    delegate.markAllProcessed(messages);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
