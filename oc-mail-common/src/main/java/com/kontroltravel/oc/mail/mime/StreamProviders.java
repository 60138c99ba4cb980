package com.kontroltravel.oc.mail.mime;

/**
 * Names Angus Mail's stream provider to Jakarta Mail once, through the system property Jakarta Mail
 * reads first. Without it, Jakarta Mail 2.1 looks the provider up with a {@link
 * java.util.ServiceLoader} scan of the class path on every body part and every encoded word
 * (jakartaee/mail-api issues 699 and 861): a sixth of a sending thread's time under load. A value
 * the application set is left alone; so is a class path without Angus Mail.
 */
final class StreamProviders {
  static final String PROPERTY = "jakarta.mail.util.StreamProvider";
  static final String ANGUS = "org.eclipse.angus.mail.util.MailStreamProvider";

  private StreamProviders() {}

  /** Sets the property to Angus Mail's provider unless it is set or Angus Mail is absent. */
  static synchronized void pin() {
    if (System.getProperty(PROPERTY) != null) {
      return;
    }
    try {
      Class.forName(ANGUS, false, StreamProviders.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return;
    }
    try {
      System.setProperty(PROPERTY, ANGUS);
    } catch (SecurityException e) {
      // a locked-down runtime keeps the lookup as it is
    }
  }
}
