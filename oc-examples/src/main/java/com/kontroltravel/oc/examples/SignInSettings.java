package com.kontroltravel.oc.examples;

import com.kontroltravel.oc.mail.jakarta.Credentials;
import com.kontroltravel.oc.mail.jakarta.MailSettings;
import com.kontroltravel.oc.mail.oauth.AccessTokenProvider;
import com.kontroltravel.oc.mail.oauth.GoogleRefreshTokenProvider;
import com.kontroltravel.oc.mail.oauth.GoogleServiceAccountTokenProvider;
import com.kontroltravel.oc.mail.oauth.MicrosoftClientCredentialsTokenProvider;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the runner signs in to IMAP and SMTP.
 *
 * <ul>
 *   <li>{@code IMAP_AUTH=password} (default): {@code IMAP_PASSWORD} (and {@code SMTP_PASSWORD}).
 *   <li>{@code IMAP_AUTH=oauth2-microsoft}: XOAUTH2 with tokens of an Entra ID application
 *       (client-credentials grant, scope {@code https://outlook.office365.com/.default}) from
 *       {@code AZURE_TENANT_ID}, {@code AZURE_CLIENT_ID}, {@code AZURE_CLIENT_SECRET}; the user is
 *       the mailbox address ({@code IMAP_USERNAME}).
 *   <li>{@code IMAP_AUTH=oauth2-google}: XOAUTH2 for Gmail, either with a stored refresh token
 *       ({@code GOOGLE_CLIENT_ID}, {@code GOOGLE_CLIENT_SECRET}, {@code GOOGLE_REFRESH_TOKEN}) or
 *       with a service account with domain-wide delegation ({@code GOOGLE_SERVICE_ACCOUNT_FILE}, a
 *       JSON key file) acting as the mailbox user ({@code IMAP_USERNAME}, or {@code SMTP_USERNAME}
 *       for SMTP).
 * </ul>
 *
 * SMTP signs in the same way unless {@code SMTP_AUTH} says otherwise. {@code OC_OAUTH_TOKEN_URL}
 * replaces the token endpoint (a national cloud, or a loopback stub in tests; {@code http://} only
 * to loopback). Secrets come from the environment (or the key file) and are never part of a message
 * or {@code toString()}; a provider is shared by IMAP and SMTP when both sign in alike.
 */
final class SignInSettings {
  private static final Logger LOG = LoggerFactory.getLogger(SignInSettings.class);

  /** The variables read here (besides the AZURE_* ones, which Graph also reads). */
  static final List<String> VARIABLES =
      List.of(
          "IMAP_AUTH",
          "SMTP_AUTH",
          "GOOGLE_CLIENT_ID",
          "GOOGLE_CLIENT_SECRET",
          "GOOGLE_REFRESH_TOKEN",
          "GOOGLE_SERVICE_ACCOUNT_FILE",
          "OC_OAUTH_TOKEN_URL");

  /** A sign-in method, as {@code IMAP_AUTH} and {@code SMTP_AUTH} spell it. */
  enum Method {
    PASSWORD("password"),
    OAUTH2_MICROSOFT("oauth2-microsoft"),
    OAUTH2_GOOGLE("oauth2-google");

    final String spelling;

    Method(String spelling) {
      this.spelling = spelling;
    }

    static Method parse(String v) {
      String n = v.trim().toLowerCase(Locale.ROOT).replace('_', '-');
      for (Method m : values()) {
        if (m.spelling.equals(n)) {
          return m;
        }
      }
      return null;
    }
  }

  /** The IMAP and SMTP credentials. */
  record Logins(Credentials imap, Credentials smtp) {}

  private SignInSettings() {}

  /** {@code IMAP_AUTH}, default password; null when it is not a method (reported by logins). */
  static Method imapMethod(RunnerSettings s) {
    String v = s.get("IMAP_AUTH");
    return v == null ? Method.PASSWORD : Method.parse(v);
  }

  /** {@code SMTP_AUTH}, default {@code IMAP_AUTH}; null when it is not a method. */
  static Method smtpMethod(RunnerSettings s) {
    String v = s.get("SMTP_AUTH");
    return v == null ? imapMethod(s) : Method.parse(v);
  }

  /** Whether IMAP signs in with {@code IMAP_PASSWORD}. */
  static boolean imapUsesPassword(RunnerSettings s) {
    return imapMethod(s) == Method.PASSWORD;
  }

  /**
   * The IMAP and SMTP credentials, or null after adding every problem to {@code problems}. Builds
   * the token providers without contacting their endpoints.
   */
  static Logins logins(
      RunnerSettings s,
      String imapUser,
      String imapPassword,
      String smtpUser,
      String smtpPassword,
      List<String> problems) {
    int before = problems.size();
    Method imap = method(s, "IMAP_AUTH", imapMethod(s), problems);
    Method smtp = method(s, "SMTP_AUTH", smtpMethod(s), problems);
    if (problems.size() > before) {
      return null;
    }
    Credentials imapCredentials;
    if (imap == Method.PASSWORD) {
      imapCredentials = imapPassword == null ? null : Credentials.password(imapPassword);
    } else {
      AccessTokenProvider p = provider(s, imap, imapUser, "IMAP_USERNAME", problems);
      imapCredentials = p == null ? null : Credentials.oauth2(p);
    }
    Credentials smtpCredentials;
    if (smtp == Method.PASSWORD) {
      if (smtpPassword == null) {
        if (imap != Method.PASSWORD) {
          problems.add("SMTP_PASSWORD is missing (SMTP_AUTH=password)");
        }
        smtpCredentials = null;
      } else {
        smtpCredentials = Credentials.password(smtpPassword);
      }
    } else if (smtp == imap
        && (smtp == Method.OAUTH2_MICROSOFT || Objects.equals(imapUser, smtpUser))) {
      // One provider, one token cache: a Microsoft application token serves every mailbox, a
      // Google token serves its user. (Null when its problems are already listed.)
      smtpCredentials = imapCredentials;
    } else {
      String userVariable =
          smtpUser == null || smtpUser.equals(imapUser) ? "IMAP_USERNAME" : "SMTP_USERNAME";
      AccessTokenProvider p = provider(s, smtp, smtpUser, userVariable, problems);
      smtpCredentials = p == null ? null : Credentials.oauth2(p);
    }
    return problems.size() > before ? null : new Logins(imapCredentials, smtpCredentials);
  }

  private static Method method(RunnerSettings s, String name, Method m, List<String> problems) {
    if (m == null) {
      problems.add(name + " must be password, oauth2-microsoft or oauth2-google: " + s.get(name));
    }
    return m;
  }

  /** The token provider for {@code method}, or null after adding the problems. */
  static AccessTokenProvider provider(
      RunnerSettings s, Method method, String user, String userVariable, List<String> problems) {
    String why =
        " ("
            + (userVariable.startsWith("SMTP") ? "SMTP_AUTH" : "IMAP_AUTH")
            + "="
            + method.spelling
            + ")";
    URI tokenUrl = tokenUrl(s, problems);
    return switch (method) {
      case OAUTH2_MICROSOFT -> microsoft(s, tokenUrl, why, problems);
      case OAUTH2_GOOGLE -> google(s, tokenUrl, user, userVariable, why, problems);
      case PASSWORD -> throw new IllegalArgumentException("not an OAuth2 method");
    };
  }

  private static AccessTokenProvider microsoft(
      RunnerSettings s, URI tokenUrl, String why, List<String> problems) {
    String tenant = required(s, "AZURE_TENANT_ID", why, problems);
    String clientId = required(s, "AZURE_CLIENT_ID", why, problems);
    String secret = required(s, "AZURE_CLIENT_SECRET", why, problems);
    if (tenant == null || clientId == null || secret == null) {
      return null;
    }
    MicrosoftClientCredentialsTokenProvider.Builder b =
        MicrosoftClientCredentialsTokenProvider.builder()
            .tenant(tenant)
            .clientId(clientId)
            .clientSecret(secret)
            .scope(MicrosoftClientCredentialsTokenProvider.OUTLOOK_SCOPE);
    if (tokenUrl != null) {
      try {
        b.authority(MailboxesSettings.authority(tokenUrl, tenant));
      } catch (IllegalArgumentException e) {
        problems.add(
            "OC_OAUTH_TOKEN_URL must be https (http only to loopback) and name the authority"
                + " (https://login.example) or its token endpoint"
                + " (https://login.example/<AZURE_TENANT_ID>/oauth2/v2.0/token): "
                + e.getMessage());
        return null;
      }
    }
    return b.build();
  }

  private static AccessTokenProvider google(
      RunnerSettings s,
      URI tokenUrl,
      String user,
      String userVariable,
      String why,
      List<String> problems) {
    String keyFile = s.get("GOOGLE_SERVICE_ACCOUNT_FILE");
    boolean refreshTokenSet =
        s.get("GOOGLE_CLIENT_ID") != null
            || s.get("GOOGLE_CLIENT_SECRET") != null
            || s.get("GOOGLE_REFRESH_TOKEN") != null;
    try {
      if (keyFile != null) {
        if (refreshTokenSet) {
          problems.add(
              "set either GOOGLE_SERVICE_ACCOUNT_FILE (a service account) or GOOGLE_CLIENT_ID,"
                  + " GOOGLE_CLIENT_SECRET and GOOGLE_REFRESH_TOKEN (a user's grant), not both");
          return null;
        }
        if (user == null || !user.contains("@")) {
          problems.add(
              userVariable
                  + " must be the mailbox's address: the service account acts as that user"
                  + why);
          return null;
        }
        GoogleServiceAccountTokenProvider.Builder b =
            GoogleServiceAccountTokenProvider.builder().subject(user);
        if (tokenUrl != null) {
          b.tokenEndpoint(tokenUrl);
        }
        return b.keyFile(Path.of(keyFile)).build();
      }
      String clientId = required(s, "GOOGLE_CLIENT_ID", why, problems);
      String secret = required(s, "GOOGLE_CLIENT_SECRET", why, problems);
      String refresh = required(s, "GOOGLE_REFRESH_TOKEN", why, problems);
      if (clientId == null || secret == null || refresh == null) {
        if (!refreshTokenSet) {
          problems.add("or GOOGLE_SERVICE_ACCOUNT_FILE for a service account" + why);
        }
        return null;
      }
      GoogleRefreshTokenProvider.Builder b =
          GoogleRefreshTokenProvider.builder()
              .clientId(clientId)
              .clientSecret(secret)
              .refreshToken(refresh);
      if (tokenUrl != null) {
        b.tokenEndpoint(tokenUrl);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      // The providers' messages name files and fields, never a secret.
      problems.add(
          (keyFile != null ? "GOOGLE_SERVICE_ACCOUNT_FILE: " : "OC_OAUTH_TOKEN_URL: ")
              + e.getMessage());
      return null;
    }
  }

  private static String required(RunnerSettings s, String name, String why, List<String> problems) {
    String v = s.get(name);
    if (v == null) {
      problems.add(name + " is missing" + why);
    }
    return v;
  }

  private static URI tokenUrl(RunnerSettings s, List<String> problems) {
    String v = s.get("OC_OAUTH_TOKEN_URL");
    if (v == null) {
      return null;
    }
    try {
      URI u = new URI(v);
      if (u.getHost() == null) {
        problems.add("OC_OAUTH_TOKEN_URL must be an absolute URL: " + v);
        return null;
      }
      return u;
    } catch (URISyntaxException e) {
      problems.add("OC_OAUTH_TOKEN_URL is not a URL: " + v);
      return null;
    }
  }

  /** Variables of this class that are set although nothing reads them (a warning, not an error). */
  static List<String> unused(RunnerSettings s) {
    List<String> out = new ArrayList<>();
    boolean google = imapMethod(s) == Method.OAUTH2_GOOGLE || smtpMethod(s) == Method.OAUTH2_GOOGLE;
    boolean oauth =
        google
            || imapMethod(s) == Method.OAUTH2_MICROSOFT
            || smtpMethod(s) == Method.OAUTH2_MICROSOFT;
    for (String n :
        List.of(
            "GOOGLE_CLIENT_ID",
            "GOOGLE_CLIENT_SECRET",
            "GOOGLE_REFRESH_TOKEN",
            "GOOGLE_SERVICE_ACCOUNT_FILE")) {
      if (!google && s.get(n) != null) {
        out.add(n);
      }
    }
    if (!oauth && s.get("OC_OAUTH_TOKEN_URL") != null) {
      out.add("OC_OAUTH_TOKEN_URL");
    }
    return out;
  }

  /**
   * Logs how IMAP and SMTP sign in (method, provider, token endpoint; never a secret), and warns
   * about sign-in variables that are set but unused.
   */
  static void logSignIn(RunnerSettings s, MailSettings mail) {
    LOG.info(
        "IMAP signs in with {}{}, SMTP with {}{}",
        imapMethod(s).spelling,
        mail.imapCredentials().tokenProvider().map(p -> " " + p).orElse(""),
        smtpMethod(s).spelling,
        mail.smtpCredentials() == mail.imapCredentials()
            ? " (the same token provider)"
            : mail.smtpCredentials().tokenProvider().map(p -> " " + p).orElse(""));
    List<String> unused = unused(s);
    if (!unused.isEmpty()) {
      LOG.warn("{} set but neither IMAP_AUTH nor SMTP_AUTH uses it", unused);
    }
    keyFileWarning(s).ifPresent(LOG::warn);
  }

  /**
   * A warning when the service account key file can be read by other users of the host (its private
   * key signs in as any user of the domain).
   */
  static Optional<String> keyFileWarning(RunnerSettings s) {
    String file = s.get("GOOGLE_SERVICE_ACCOUNT_FILE");
    if (file == null) {
      return Optional.empty();
    }
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(Path.of(file));
      if (p.contains(PosixFilePermission.GROUP_READ)
          || p.contains(PosixFilePermission.OTHERS_READ)) {
        return Optional.of(
            "GOOGLE_SERVICE_ACCOUNT_FILE "
                + file
                + " is readable by other users ("
                + PosixFilePermissions.toString(p)
                + "): its key signs in as any mailbox of the domain; chmod 600 it");
      }
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      // not a POSIX file system, or unreadable (reported when the key is read)
    }
    return Optional.empty();
  }
}
