package com.kontroltravel.oc.mail.jakarta;

/**
 * The whole MailGateway kit over IMAPS and SMTPS (GreenMail's self-signed certificate, trusted for
 * the test).
 */
class JakartaMailGatewayTlsCompatibilityTest extends JakartaMailGatewayCompatibilityTest {
  @Override
  boolean tls() {
    return true;
  }
}
