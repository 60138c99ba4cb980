/**
 * Compatibility kits every adapter runs against itself, and fakes (a recording mail gateway, a
 * settable clock) for hosts' tests.
 */
module com.kontroltravel.oc.testkit {
  requires transitive com.kontroltravel.oc;
  requires transitive org.junit.jupiter.api;
  requires transitive org.assertj.core;
  requires static jakarta.mail;

  exports com.kontroltravel.oc.testkit;
  exports com.kontroltravel.oc.testkit.mail;

  opens com.kontroltravel.oc.testkit to
      org.junit.platform.commons;
}
