package com.kontroltravel.oc.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kontroltravel.oc.exception.StoreException;
import com.kontroltravel.oc.model.ReminderSchedule;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Codec")
class CodecTest {
  @Test
  @DisplayName(
      "string lists round-trip with quotes, backslashes, control characters, accents and nulls")
  void lists() {
    List<String> values =
        Arrays.asList("a\"b", "c\\d", "line\nbreak\r\t", "\u0001", "ñandú €", "", null, "[,]");
    String json = Codec.encodeList(values);
    assertThat(Codec.decodeList(json)).isEqualTo(values);
    assertThat(Codec.decodeList(Codec.encodeList(List.of()))).isEmpty();
    assertThat(Codec.encodeList(List.of("x", "y"))).isEqualTo("[\"x\",\"y\"]");
  }

  @Test
  @DisplayName("schedules round-trip and broken text is reported, not guessed")
  void schedules() {
    for (ReminderSchedule s : List.of(ReminderSchedule.DEFAULT, ReminderSchedule.LEGACY)) {
      assertThat(Codec.decodeSchedule(Codec.encodeSchedule(s))).isEqualTo(s);
    }
    assertThat(Codec.decodeSchedule(null)).isNull();
    assertThatThrownBy(() -> Codec.decodeList("[\"open")).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> Codec.decodeList("[\"a\"] trailing"))
        .isInstanceOf(StoreException.class);
  }
}
