/**
 * {@link com.kontroltravel.oc.mail.jakarta.JakartaMailGateway}: the engine's mail over IMAP (IDLE
 * or polling) and SMTP with Jakarta Mail and Angus Mail.
 */
module com.kontroltravel.oc.mail.jakarta {
  requires transitive com.kontroltravel.oc.mail.common;
  requires org.eclipse.angus.mail;
  requires org.slf4j;

  exports com.kontroltravel.oc.mail.jakarta;
}
