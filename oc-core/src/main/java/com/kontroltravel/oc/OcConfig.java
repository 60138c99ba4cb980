package com.kontroltravel.oc;

import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.model.AllowedSenders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The engine's settings. Immutable; build it with {@link #builder()}. Every value has a default except the
 * monitored mailbox address, which Reply-To and Message-IDs need.
 *
 * @param mailboxAddress the monitored mailbox; its domain names the Message-IDs
 * @param replyToAddress where agencies reply (Reply-To of every message): the mailbox address
 *     unless a separate OC-replies mailbox is read
 * @param senderName the signature and From name used in messages
 * @param allowedSenders addresses ({@code reservas@kontrol.cl}) or domains ({@code kontrol.cl} or {@code
 *     @kontrol.cl}) whose confirmations are accepted
 * @param confirmationKeywords subject words that mark a confirmation (accent- and case-insensitive)
 * @param ccRecipients administration/finance addresses copied on every message to an agency
 * @param digestRecipients who gets the daily digest; empty disables it
 * @param unknownAgency what to do with a booking whose agency is not configured
 * @param sendAcknowledgement whether to acknowledge an OC received by email
 * @param senderAuthentication what a confirmation from an allowed sender that the gateway could not
 *     authenticate may do (see {@link SenderAuthentication})
 * @param pollInterval how often the mailbox is polled (and the safety-net poll under IDLE)
 * @param batchSize how many bookings or outbox rows one claim takes
 * @param leaseDuration how long a claim holds before another engine may take the work
 * @param retryInitialBackoff first delay after a transient send failure (doubles each time)
 * @param retryMaxBackoff the longest delay between retries
 * @param maxSendAttempts attempts before a message is given up as failed
 * @param messageIdDomain the right-hand side of generated Message-IDs
 * @param nodeId this engine's name in claims (unique per running engine)
 * @param calendar working days, office hours and holidays
 * @param maxInboundAttempts attempts at an inbound message that failed for a passing reason (a
 *     parser time-out) before it is quarantined; the delays follow the send backoff
 * @param inboundRetention how long the copy of a quarantined, ignored or reviewed message is kept
 *     for inspection and reprocessing
 * @param amountTolerance how far an OC's total may be from the booking's (same currency) before a
 *     person is asked to look (default 0: exact to the peso)
 * @param criticalAfterBusinessDays a booking chasing this many business days or more since its
 *     request counts as critical on dashboards
 * @param firstStart which messages a first read of a mailbox (no cursor yet) processes
 */
public record OcConfig(
    String mailboxAddress,
    String replyToAddress,
    String senderName,
    AllowedSenders allowedSenders,
    List<String> confirmationKeywords,
    List<String> ccRecipients,
    List<String> digestRecipients,
    UnknownAgencyAction unknownAgency,
    boolean sendAcknowledgement,
    SenderAuthentication senderAuthentication,
    Duration pollInterval,
    int batchSize,
    Duration leaseDuration,
    Duration retryInitialBackoff,
    Duration retryMaxBackoff,
    int maxSendAttempts,
    String messageIdDomain,
    String nodeId,
    BusinessCalendar calendar,
    int maxInboundAttempts,
    Duration inboundRetention,
    java.math.BigDecimal amountTolerance,
    int criticalAfterBusinessDays,
    FirstStart firstStart) {

  /** Default mailbox poll interval. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMinutes(5);

  /** Default claim size. */
  public static final int DEFAULT_BATCH_SIZE = 100;

  /** Default claim lease. */
  public static final Duration DEFAULT_LEASE = Duration.ofMinutes(5);

  /** Default first retry delay. */
  public static final Duration DEFAULT_RETRY_INITIAL_BACKOFF = Duration.ofMinutes(1);

  /** Default longest retry delay. */
  public static final Duration DEFAULT_RETRY_MAX_BACKOFF = Duration.ofHours(1);

  /** Default send attempts. */
  public static final int DEFAULT_MAX_SEND_ATTEMPTS = 8;

  /** Default attempts at an inbound message that failed for a passing reason. */
  public static final int DEFAULT_MAX_INBOUND_ATTEMPTS = 6;

  /** Default retention of kept inbound messages. */
  public static final Duration DEFAULT_INBOUND_RETENTION = Duration.ofDays(90);

  /** Default business days after which a chase is critical. */
  public static final int DEFAULT_CRITICAL_AFTER_BUSINESS_DAYS = 4;

  /** Default sender name. */
  public static final String DEFAULT_SENDER_NAME = "Kontrol Travel";

  /** Default confirmation subject keywords. */
  public static final List<String> DEFAULT_CONFIRMATION_KEYWORDS =
      List.of("confirmacion", "resumen de servicios", "reserva confirmada", "booking confirmation");

  /**
   * What a confirmation may do when its sender is allowed by address but no trusted server
   * authenticated it ({@code From} alone can be forged).
   */
  public enum SenderAuthentication {
    /**
     * Obey the {@code From} header: for servers that stamp no Authentication-Results. Forged
     * confirmations are obeyed; the engine says so loudly when it starts.
     */
    OFF,
    /**
     * Track new bookings from it, but hold for a person a confirmation that would cancel or amend a
     * booking already tracked (the default).
     */
    WARN,
    /** Refuse it, with the reason recorded. */
    ENFORCE
  }

  /** What to do with a booking whose agency is not configured. */
  public enum UnknownAgencyAction {
    /**
     * Track it as PENDING with an attention flag, and chase once a person configures the agency.
     */
    ATTENTION,
    /** Treat it as owing no OC. */
    NOT_REQUIRED
  }

  /** Checks every value; reports every problem at once. */
  public OcConfig {
    List<String> problems = new ArrayList<>();
    if (mailboxAddress == null || !Headers.isValidAddress(mailboxAddress.trim())) {
      problems.add("mailboxAddress must be a valid email address: " + mailboxAddress);
    } else {
      mailboxAddress = mailboxAddress.trim().toLowerCase(Locale.ROOT);
    }
    if (replyToAddress == null || replyToAddress.isBlank()) {
      replyToAddress = mailboxAddress;
    } else if (!Headers.isValidAddress(replyToAddress.trim())) {
      problems.add("replyToAddress must be a valid email address: " + replyToAddress);
    } else {
      replyToAddress = replyToAddress.trim().toLowerCase(Locale.ROOT);
    }
    senderName = senderName == null ? DEFAULT_SENDER_NAME : Headers.clean(senderName);
    allowedSenders = allowedSenders == null ? AllowedSenders.NONE : allowedSenders;
    confirmationKeywords =
        confirmationKeywords == null || confirmationKeywords.isEmpty()
            ? DEFAULT_CONFIRMATION_KEYWORDS
            : List.copyOf(confirmationKeywords);
    ccRecipients = checkAddresses("ccRecipients", ccRecipients, problems);
    digestRecipients = checkAddresses("digestRecipients", digestRecipients, problems);
    unknownAgency = unknownAgency == null ? UnknownAgencyAction.ATTENTION : unknownAgency;
    senderAuthentication =
        senderAuthentication == null ? SenderAuthentication.WARN : senderAuthentication;
    pollInterval = positive("pollInterval", pollInterval, DEFAULT_POLL_INTERVAL, problems);
    leaseDuration = positive("leaseDuration", leaseDuration, DEFAULT_LEASE, problems);
    retryInitialBackoff =
        positive(
            "retryInitialBackoff", retryInitialBackoff, DEFAULT_RETRY_INITIAL_BACKOFF, problems);
    retryMaxBackoff =
        positive("retryMaxBackoff", retryMaxBackoff, DEFAULT_RETRY_MAX_BACKOFF, problems);
    if (batchSize < 1 || batchSize > 10_000) {
      problems.add("batchSize must be 1..10000: " + batchSize);
    }
    if (maxSendAttempts < 1) {
      problems.add("maxSendAttempts must be at least 1: " + maxSendAttempts);
    }
    if (messageIdDomain == null || messageIdDomain.isBlank()) {
      messageIdDomain =
          mailboxAddress != null && mailboxAddress.contains("@")
              ? mailboxAddress.substring(mailboxAddress.indexOf('@') + 1)
              : "oc.invalid";
    } else if (!messageIdDomain.matches("[A-Za-z0-9.-]+")) {
      problems.add("messageIdDomain must be a host name: " + messageIdDomain);
    }
    nodeId =
        nodeId == null || nodeId.isBlank()
            ? "node-" + java.util.UUID.randomUUID().toString().substring(0, 8)
            : Headers.clean(nodeId);
    calendar = calendar == null ? BusinessCalendar.CHILE : calendar;
    if (maxInboundAttempts < 1) {
      problems.add("maxInboundAttempts must be at least 1: " + maxInboundAttempts);
    }
    inboundRetention =
        positive("inboundRetention", inboundRetention, DEFAULT_INBOUND_RETENTION, problems);
    if (amountTolerance == null) {
      amountTolerance = java.math.BigDecimal.ZERO;
    } else if (amountTolerance.signum() < 0) {
      problems.add("amountTolerance must not be negative: " + amountTolerance);
    }
    if (criticalAfterBusinessDays < 1) {
      problems.add("criticalAfterBusinessDays must be at least 1: " + criticalAfterBusinessDays);
    }
    firstStart = firstStart == null ? FirstStart.DEFAULT : firstStart;
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
  }

  /** A builder with every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.mailboxAddress = mailboxAddress;
    b.replyToAddress = replyToAddress;
    b.senderName = senderName;
    b.allowedSenders = allowedSenders;
    b.confirmationKeywords = confirmationKeywords;
    b.ccRecipients = ccRecipients;
    b.digestRecipients = digestRecipients;
    b.unknownAgency = unknownAgency;
    b.sendAcknowledgement = sendAcknowledgement;
    b.senderAuthentication = senderAuthentication;
    b.pollInterval = pollInterval;
    b.batchSize = batchSize;
    b.leaseDuration = leaseDuration;
    b.retryInitialBackoff = retryInitialBackoff;
    b.retryMaxBackoff = retryMaxBackoff;
    b.maxSendAttempts = maxSendAttempts;
    b.messageIdDomain = messageIdDomain;
    b.nodeId = nodeId;
    b.calendar = calendar;
    b.maxInboundAttempts = maxInboundAttempts;
    b.inboundRetention = inboundRetention;
    b.amountTolerance = amountTolerance;
    b.criticalAfterBusinessDays = criticalAfterBusinessDays;
    b.firstStart = firstStart;
    return b;
  }

  /** True when {@code address} is an allowed confirmation sender (see {@link AllowedSenders}). */
  public boolean isAllowedSender(String address) {
    return allowedSenders.matches(address);
  }

  private static List<String> normalizeList(List<String> values) {
    if (values == null) {
      return List.of();
    }
    return values.stream()
        .filter(Objects::nonNull)
        .map(v -> v.trim().toLowerCase(Locale.ROOT))
        .filter(v -> !v.isEmpty())
        .distinct()
        .toList();
  }

  private static List<String> checkAddresses(
      String name, List<String> values, List<String> problems) {
    List<String> out = normalizeList(values);
    for (String v : out) {
      if (!Headers.isValidAddress(v)) {
        problems.add(name + " has an invalid address: " + v);
      }
    }
    return out;
  }

  private static Duration positive(
      String name, Duration value, Duration dflt, List<String> problems) {
    if (value == null) {
      return dflt;
    }
    if (value.isNegative() || value.isZero()) {
      problems.add(name + " must be positive: " + value);
    }
    return value;
  }

  /** Builds an {@link OcConfig}; not thread safe. */
  public static final class Builder {
    private String mailboxAddress;
    private String replyToAddress;
    private String senderName = DEFAULT_SENDER_NAME;
    private AllowedSenders allowedSenders = AllowedSenders.NONE;
    private List<String> confirmationKeywords = DEFAULT_CONFIRMATION_KEYWORDS;
    private List<String> ccRecipients = List.of();
    private List<String> digestRecipients = List.of();
    private UnknownAgencyAction unknownAgency = UnknownAgencyAction.ATTENTION;
    private boolean sendAcknowledgement = true;
    private SenderAuthentication senderAuthentication = SenderAuthentication.WARN;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Duration leaseDuration = DEFAULT_LEASE;
    private Duration retryInitialBackoff = DEFAULT_RETRY_INITIAL_BACKOFF;
    private Duration retryMaxBackoff = DEFAULT_RETRY_MAX_BACKOFF;
    private int maxSendAttempts = DEFAULT_MAX_SEND_ATTEMPTS;
    private String messageIdDomain;
    private String nodeId;
    private BusinessCalendar calendar = BusinessCalendar.CHILE;
    private int maxInboundAttempts = DEFAULT_MAX_INBOUND_ATTEMPTS;
    private Duration inboundRetention = DEFAULT_INBOUND_RETENTION;
    private java.math.BigDecimal amountTolerance = java.math.BigDecimal.ZERO;
    private int criticalAfterBusinessDays = DEFAULT_CRITICAL_AFTER_BUSINESS_DAYS;
    private FirstStart firstStart = FirstStart.DEFAULT;

    private Builder() {}

    /** Sets {@code mailboxAddress}. */
    public Builder mailboxAddress(String v) {
      mailboxAddress = v;
      return this;
    }

    /** Sets {@code replyToAddress} (default: the mailbox address). */
    public Builder replyToAddress(String v) {
      replyToAddress = v;
      return this;
    }

    /** Sets {@code senderName}. */
    public Builder senderName(String v) {
      senderName = v;
      return this;
    }

    /** Sets {@code allowedSenders}. */
    public Builder allowedSenders(List<String> v) {
      allowedSenders = AllowedSenders.of(v);
      return this;
    }

    /** Sets {@code confirmationKeywords}. */
    public Builder confirmationKeywords(List<String> v) {
      confirmationKeywords = v;
      return this;
    }

    /** Sets {@code ccRecipients}. */
    public Builder ccRecipients(List<String> v) {
      ccRecipients = v;
      return this;
    }

    /** Sets {@code digestRecipients}. */
    public Builder digestRecipients(List<String> v) {
      digestRecipients = v;
      return this;
    }

    /** Sets {@code unknownAgency}. */
    public Builder unknownAgency(UnknownAgencyAction v) {
      unknownAgency = v;
      return this;
    }

    /** Sets {@code sendAcknowledgement}. */
    public Builder sendAcknowledgement(boolean v) {
      sendAcknowledgement = v;
      return this;
    }

    /** Sets {@code senderAuthentication} (default {@link SenderAuthentication#WARN}). */
    public Builder senderAuthentication(SenderAuthentication v) {
      senderAuthentication = v;
      return this;
    }

    /** Sets {@code pollInterval}. */
    public Builder pollInterval(Duration v) {
      pollInterval = v;
      return this;
    }

    /** Sets {@code batchSize}. */
    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    /** Sets {@code leaseDuration}. */
    public Builder leaseDuration(Duration v) {
      leaseDuration = v;
      return this;
    }

    /** Sets {@code retryInitialBackoff}. */
    public Builder retryInitialBackoff(Duration v) {
      retryInitialBackoff = v;
      return this;
    }

    /** Sets {@code retryMaxBackoff}. */
    public Builder retryMaxBackoff(Duration v) {
      retryMaxBackoff = v;
      return this;
    }

    /** Sets {@code maxSendAttempts}. */
    public Builder maxSendAttempts(int v) {
      maxSendAttempts = v;
      return this;
    }

    /** Sets {@code messageIdDomain}. */
    public Builder messageIdDomain(String v) {
      messageIdDomain = v;
      return this;
    }

    /** Sets {@code nodeId}. */
    public Builder nodeId(String v) {
      nodeId = v;
      return this;
    }

    /** Sets {@code calendar}. */
    public Builder calendar(BusinessCalendar v) {
      calendar = v;
      return this;
    }

    /** Sets {@code maxInboundAttempts}. */
    public Builder maxInboundAttempts(int v) {
      maxInboundAttempts = v;
      return this;
    }

    /** Sets {@code inboundRetention}. */
    public Builder inboundRetention(Duration v) {
      inboundRetention = v;
      return this;
    }

    /** Sets {@code amountTolerance}. */
    public Builder amountTolerance(java.math.BigDecimal v) {
      amountTolerance = v;
      return this;
    }

    /** Sets {@code criticalAfterBusinessDays}. */
    public Builder criticalAfterBusinessDays(int v) {
      criticalAfterBusinessDays = v;
      return this;
    }

    /** Sets {@code firstStart} (default {@link FirstStart#DEFAULT}: every message). */
    public Builder firstStart(FirstStart v) {
      firstStart = v;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @throws ConfigurationException listing every invalid value
     */
    public OcConfig build() {
      return new OcConfig(
          mailboxAddress,
          replyToAddress,
          senderName,
          allowedSenders,
          confirmationKeywords,
          ccRecipients,
          digestRecipients,
          unknownAgency,
          sendAcknowledgement,
          senderAuthentication,
          pollInterval,
          batchSize,
          leaseDuration,
          retryInitialBackoff,
          retryMaxBackoff,
          maxSendAttempts,
          messageIdDomain,
          nodeId,
          calendar,
          maxInboundAttempts,
          inboundRetention,
          amountTolerance,
          criticalAfterBusinessDays,
          firstStart);
    }
  }
}
