package com.kontroltravel.oc.mail.graph;

import com.kontroltravel.oc.exception.ConfigurationException;
import com.kontroltravel.oc.mail.oauth.AccessTokenProvider;
import com.kontroltravel.oc.mail.oauth.MicrosoftClientCredentialsTokenProvider;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of a {@link GraphMailGateway}: the mailbox and folder, where tokens come from, the Graph
 * base URL, timeouts and limits. Immutable; build with {@link #builder()}. {@link #toString()}
 * shows no secret (the token provider hides its own).
 */
public final class GraphSettings {
  /** Microsoft Graph v1.0 in the public cloud. */
  public static final URI DEFAULT_BASE_URL = URI.create("https://graph.microsoft.com/v1.0");

  /** The well-known name of the Inbox. */
  public static final String DEFAULT_FOLDER = "Inbox";

  /** Messages larger than this are recorded as too large, not decoded: 25 MB. */
  public static final long DEFAULT_MAX_MESSAGE_SIZE = 25L * 1024 * 1024;

  private final String mailbox;
  private final String folder;
  private final AccessTokenProvider tokens;
  private final URI baseUrl;
  private final String fromAddress;
  private final String fromName;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final int pageSize;
  private final long maxMessageSize;
  private final int maxAttempts;
  private final Duration maxRetryAfter;
  private final Duration retryBackoff;
  private final boolean checkSentItems;
  private final Set<String> trustedAuthServIds;

  private GraphSettings(Builder b) {
    mailbox = b.mailbox.trim();
    folder = b.folder == null || b.folder.isBlank() ? DEFAULT_FOLDER : b.folder.trim();
    tokens = b.tokens;
    baseUrl = URI.create(b.baseUrl.toString().replaceAll("/+$", ""));
    fromAddress = b.fromAddress == null || b.fromAddress.isBlank() ? mailbox : b.fromAddress.trim();
    fromName = b.fromName == null || b.fromName.isBlank() ? null : b.fromName.trim();
    connectTimeout = b.connectTimeout;
    requestTimeout = b.requestTimeout;
    pageSize = b.pageSize;
    maxMessageSize = b.maxMessageSize;
    maxAttempts = b.maxAttempts;
    maxRetryAfter = b.maxRetryAfter;
    retryBackoff = b.retryBackoff;
    checkSentItems = b.checkSentItems;
    trustedAuthServIds = Set.copyOf(b.trustedAuthServIds);
  }

  /** A builder; the mailbox and a token provider are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The mailbox's address or user principal name ({@code GRAPH_MAILBOX_EMAIL}). */
  public String mailbox() {
    return mailbox;
  }

  /** The folder read: a well-known name ({@code Inbox}) or a folder id. */
  public String folder() {
    return folder;
  }

  /** Where access tokens for Graph come from. */
  public AccessTokenProvider tokens() {
    return tokens;
  }

  /** The Graph base URL, without a trailing slash. */
  public URI baseUrl() {
    return baseUrl;
  }

  /** The From address of sent mail (the mailbox unless set). */
  public String fromAddress() {
    return fromAddress;
  }

  /** The From display name, or null. */
  public String fromName() {
    return fromName;
  }

  /** The connection timeout. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** The timeout of one whole HTTP request (answer and body). */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** Delta page size asked with {@code Prefer: odata.maxpagesize}. */
  public int pageSize() {
    return pageSize;
  }

  /** Messages larger than this are recorded as too large. */
  public long maxMessageSize() {
    return maxMessageSize;
  }

  /** Attempts per request when throttled (429) or the service is unavailable (5xx). */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The longest {@code Retry-After} waited for; a longer one fails the call as transient. */
  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  /** The first wait when a 429 or 5xx has no {@code Retry-After}; doubled per attempt. */
  public Duration retryBackoff() {
    return retryBackoff;
  }

  /** Whether {@code findSent} looks in Sent Items. */
  public boolean checkSentItems() {
    return checkSentItems;
  }

  /** authserv-ids whose Authentication-Results mark a sender authentic; empty: never checked. */
  public Set<String> trustedAuthServIds() {
    return trustedAuthServIds;
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.mailbox = mailbox;
    b.folder = folder;
    b.tokens = tokens;
    b.baseUrl = baseUrl;
    b.fromAddress = fromAddress;
    b.fromName = fromName;
    b.connectTimeout = connectTimeout;
    b.requestTimeout = requestTimeout;
    b.pageSize = pageSize;
    b.maxMessageSize = maxMessageSize;
    b.maxAttempts = maxAttempts;
    b.maxRetryAfter = maxRetryAfter;
    b.retryBackoff = retryBackoff;
    b.checkSentItems = checkSentItems;
    b.trustedAuthServIds = new ArrayList<>(trustedAuthServIds);
    return b;
  }

  @Override
  public String toString() {
    return "GraphSettings[mailbox="
        + mailbox
        + ", folder="
        + folder
        + ", baseUrl="
        + baseUrl
        + ", tokens="
        + tokens
        + "]";
  }

  static boolean isLoopback(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Builds {@link GraphSettings}; not thread safe. */
  public static final class Builder {
    private String mailbox;
    private String folder = DEFAULT_FOLDER;
    private AccessTokenProvider tokens;
    private URI baseUrl = DEFAULT_BASE_URL;
    private String fromAddress;
    private String fromName;
    private Duration connectTimeout = Duration.ofSeconds(20);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private int pageSize = 50;
    private long maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    private int maxAttempts = 4;
    private Duration maxRetryAfter = Duration.ofSeconds(60);
    private Duration retryBackoff = Duration.ofSeconds(1);
    private boolean checkSentItems = true;
    private List<String> trustedAuthServIds = new ArrayList<>();

    private Builder() {}

    /** The mailbox's address or user principal name (required; {@code GRAPH_MAILBOX_EMAIL}). */
    public Builder mailbox(String v) {
      mailbox = v;
      return this;
    }

    /** The folder to read: a well-known name or folder id; default {@code Inbox}. */
    public Builder folder(String v) {
      folder = v;
      return this;
    }

    /** The access-token provider for Graph (required, unless {@link #clientCredentials}). */
    public Builder tokens(AccessTokenProvider v) {
      tokens = v;
      return this;
    }

    /**
     * Tokens from an Entra ID application with application permissions Mail.Read (or
     * Mail.ReadWrite) and Mail.Send on the mailbox ({@code AZURE_TENANT_ID}, {@code
     * AZURE_CLIENT_ID}, {@code AZURE_CLIENT_SECRET}).
     */
    public Builder clientCredentials(String tenant, String clientId, String clientSecret) {
      tokens =
          MicrosoftClientCredentialsTokenProvider.builder()
              .tenant(tenant)
              .clientId(clientId)
              .clientSecret(clientSecret)
              .scope(MicrosoftClientCredentialsTokenProvider.GRAPH_SCOPE)
              .build();
      return this;
    }

    /**
     * The Graph base URL; default {@link #DEFAULT_BASE_URL}. National clouds use theirs; tests a
     * loopback stub ({@code http://} is accepted only for loopback).
     */
    public Builder baseUrl(URI v) {
      baseUrl = Objects.requireNonNull(v, "baseUrl == null");
      return this;
    }

    /** The From address and display name of sent mail; default the mailbox, no name. */
    public Builder from(String address, String name) {
      fromAddress = address;
      fromName = name;
      return this;
    }

    /** Connection and whole-request timeouts; default 20 s and 60 s. */
    public Builder timeouts(Duration connect, Duration request) {
      connectTimeout = connect;
      requestTimeout = request;
      return this;
    }

    /** Delta page size (1..1000); default 50. */
    public Builder pageSize(int v) {
      pageSize = v;
      return this;
    }

    /** Messages above this are recorded as too large; default 25 MB. */
    public Builder maxMessageSize(long v) {
      maxMessageSize = v;
      return this;
    }

    /**
     * Retries of throttled (429) and unavailable (5xx) calls: at most {@code attempts} tries, a
     * server's {@code Retry-After} waited up to {@code maxRetryAfter}, otherwise {@code backoff}
     * doubled per try. Defaults 4, 60 s, 1 s.
     */
    public Builder retries(int attempts, Duration maxRetryAfter, Duration backoff) {
      maxAttempts = attempts;
      this.maxRetryAfter = maxRetryAfter;
      retryBackoff = backoff;
      return this;
    }

    /** Whether {@code findSent} searches Sent Items by Message-ID; default true. */
    public Builder checkSentItems(boolean v) {
      checkSentItems = v;
      return this;
    }

    /**
     * authserv-ids (for Exchange Online, usually {@code spf.protection.outlook.com}) whose
     * Authentication-Results header marks a message authentic (DMARC pass, or aligned DKIM pass);
     * the engine decides what an unauthenticated sender means. Default: none, never authenticated.
     */
    public Builder trustedAuthServIds(List<String> v) {
      trustedAuthServIds = new ArrayList<>(Objects.requireNonNull(v, "trustedAuthServIds == null"));
      return this;
    }

    /**
     * Checks every value and builds the settings.
     *
     * @throws ConfigurationException listing every problem at once
     */
    public GraphSettings build() {
      List<String> problems = new ArrayList<>();
      if (mailbox == null || mailbox.isBlank()) {
        problems.add("mailbox is required (GRAPH_MAILBOX_EMAIL)");
      } else if (!mailbox.contains("@")) {
        problems.add("mailbox must be an address or user principal name: " + mailbox);
      }
      if (tokens == null) {
        problems.add("a token provider is required (AZURE_TENANT_ID, AZURE_CLIENT_ID, ...)");
      }
      String scheme =
          baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
      if (baseUrl.getHost() == null) {
        problems.add("baseUrl has no host: " + baseUrl);
      } else if (!scheme.equals("https")
          && !(scheme.equals("http") && isLoopback(baseUrl.getHost()))) {
        problems.add("baseUrl must be https (http only to loopback): " + baseUrl);
      }
      for (Duration d : new Duration[] {connectTimeout, requestTimeout}) {
        if (d == null || d.isZero() || d.isNegative()) {
          problems.add("timeouts must be positive");
          break;
        }
      }
      if (pageSize < 1 || pageSize > 1000) {
        problems.add("pageSize must be 1..1000: " + pageSize);
      }
      if (maxMessageSize < 1) {
        problems.add("maxMessageSize must be positive");
      }
      if (maxAttempts < 1 || maxAttempts > 20) {
        problems.add("retry attempts must be 1..20: " + maxAttempts);
      }
      if (maxRetryAfter == null || maxRetryAfter.isNegative()) {
        problems.add("maxRetryAfter must not be negative");
      }
      if (retryBackoff == null || retryBackoff.isNegative()) {
        problems.add("retry backoff must not be negative");
      }
      Set<String> ids = new LinkedHashSet<>();
      for (String s : trustedAuthServIds) {
        if (s != null && !s.isBlank()) {
          ids.add(s.trim().toLowerCase(Locale.ROOT));
        }
      }
      trustedAuthServIds = new ArrayList<>(ids);
      if (!problems.isEmpty()) {
        throw new ConfigurationException(problems);
      }
      return new GraphSettings(this);
    }
  }
}
