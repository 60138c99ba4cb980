package com.kontroltravel.oc.mail.mime;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.util.StreamProvider;
import org.junit.jupiter.api.Test;

class StreamProvidersTest {
  @Test
  void usingTheMimeClassesNamesAngusProviderToJakartaMail() {
    new MimeComposer();
    assertThat(System.getProperty(StreamProviders.PROPERTY)).isEqualTo(StreamProviders.ANGUS);
    // Jakarta Mail then finds it by name: the provider every part is encoded with.
    assertThat(StreamProvider.provider().getClass().getName()).isEqualTo(StreamProviders.ANGUS);
  }

  @Test
  void aValueTheApplicationSetIsLeftAlone() {
    String before = System.getProperty(StreamProviders.PROPERTY);
    try {
      System.setProperty(StreamProviders.PROPERTY, "com.example.OwnProvider");
      StreamProviders.pin();
      assertThat(System.getProperty(StreamProviders.PROPERTY)).isEqualTo("com.example.OwnProvider");
    } finally {
      if (before == null) {
        System.clearProperty(StreamProviders.PROPERTY);
      } else {
        System.setProperty(StreamProviders.PROPERTY, before);
      }
    }
  }
}
