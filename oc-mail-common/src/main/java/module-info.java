/**
 * What the mail adapters share: MIME decoding and composition ({@code
 * com.kontroltravel.oc.mail.mime}) and OAuth2 access-token providers ({@code
 * com.kontroltravel.oc.mail.oauth}).
 */
module com.kontroltravel.oc.mail.common {
  requires transitive com.kontroltravel.oc;
  requires transitive jakarta.mail;
  requires java.net.http;
  requires com.fasterxml.jackson.databind;

  exports com.kontroltravel.oc.mail.mime;
  exports com.kontroltravel.oc.mail.oauth;
}
