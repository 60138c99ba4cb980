package com.kontroltravel.oc;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Working days, office hours and holidays in one time zone. Immutable and thread safe.
 *
 * <p>The default ({@link #CHILE}) is Monday to Friday, 09:00 to 18:00, America/Santiago, with
 * Chile's fixed-date national holidays, the Easter-based ones (Good Friday, Holy Saturday) and
 * those the law moves (San Pedro y San Pablo and Encuentro de Dos Mundos to a Monday, Iglesias
 * Evangélicas to a Friday, Pueblos Indígenas on the June solstice, the September and January
 * bridges). One-off holidays (elections, a declared "interferiado") are added with {@link
 * Builder#holidays}.
 */
public final class BusinessCalendar {

  /** Default office opening. */
  public static final LocalTime DEFAULT_OPENS = LocalTime.of(9, 0);

  /** Default office closing. */
  public static final LocalTime DEFAULT_CLOSES = LocalTime.of(18, 0);

  /** Default time zone. */
  public static final ZoneId DEFAULT_ZONE = ZoneId.of("America/Santiago");

  /** Chile's fixed-date national holidays. */
  public static final List<MonthDay> CHILE_FIXED_HOLIDAYS =
      List.of(
          MonthDay.of(1, 1), // Año Nuevo
          MonthDay.of(5, 1), // Día del Trabajo
          MonthDay.of(5, 21), // Glorias Navales
          MonthDay.of(7, 16), // Virgen del Carmen
          MonthDay.of(8, 15), // Asunción de la Virgen
          MonthDay.of(9, 18), // Independencia Nacional
          MonthDay.of(9, 19), // Glorias del Ejército
          MonthDay.of(11, 1), // Todos los Santos
          MonthDay.of(12, 8), // Inmaculada Concepción
          MonthDay.of(12, 25)); // Navidad

  /**
   * Chile's Easter-based holidays, as offsets from Easter Sunday: Good Friday and Holy Saturday.
   */
  public static final List<Integer> CHILE_EASTER_OFFSETS = List.of(-2, -1);

  /** The default calendar. */
  public static final BusinessCalendar CHILE = builder().build();

  private final ZoneId zone;
  private final Set<DayOfWeek> workingDays;
  private final LocalTime opens;
  private final LocalTime closes;
  private final Set<MonthDay> fixedHolidays;
  private final List<Integer> easterOffsets;
  private final Set<LocalDate> holidays;
  private final boolean chileanMovable;

  private BusinessCalendar(Builder b) {
    this.zone = b.zone;
    this.workingDays = Set.copyOf(b.workingDays);
    this.opens = b.opens;
    this.closes = b.closes;
    this.fixedHolidays = Set.copyOf(b.fixedHolidays);
    this.easterOffsets = List.copyOf(b.easterOffsets);
    this.holidays = Set.copyOf(b.holidays);
    this.chileanMovable = b.chileanMovable;
  }

  /** A builder preset to the Chilean defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The time zone. */
  public ZoneId zone() {
    return zone;
  }

  /** Office opening time. */
  public LocalTime opens() {
    return opens;
  }

  /** Office closing time. */
  public LocalTime closes() {
    return closes;
  }

  /** True when {@code date} is a working day and not a holiday. */
  public boolean isBusinessDay(LocalDate date) {
    return workingDays.contains(date.getDayOfWeek()) && !isHoliday(date);
  }

  /** True when {@code date} is a fixed, Easter-based or configured holiday. */
  public boolean isHoliday(LocalDate date) {
    if (holidays.contains(date) || fixedHolidays.contains(MonthDay.from(date))) {
      return true;
    }
    if (chileanMovable && ChileanHolidays.of(date.getYear()).contains(date)) {
      return true;
    }
    if (!easterOffsets.isEmpty()) {
      LocalDate easter = easterSunday(date.getYear());
      for (int offset : easterOffsets) {
        if (easter.plusDays(offset).equals(date)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * True when {@code instant} falls on a business day within office hours (opening inclusive,
   * closing exclusive).
   */
  public boolean isOfficeHours(Instant instant) {
    ZonedDateTime t = instant.atZone(zone);
    LocalTime time = t.toLocalTime();
    return isBusinessDay(t.toLocalDate()) && !time.isBefore(opens) && time.isBefore(closes);
  }

  /**
   * The {@code n}-th business day after {@code date} ({@code n == 0} gives {@code date} itself).
   */
  public LocalDate addBusinessDays(LocalDate date, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n < 0: " + n);
    }
    LocalDate d = date;
    for (int i = 0; i < n; i++) {
      d = nextBusinessDay(d);
    }
    return d;
  }

  /** The first business day strictly after {@code date}. */
  public LocalDate nextBusinessDay(LocalDate date) {
    LocalDate d = date.plusDays(1);
    // Bounded: a year with no business day means a broken configuration.
    for (int i = 0; i < 366; i++) {
      if (isBusinessDay(d)) {
        return d;
      }
      d = d.plusDays(1);
    }
    throw new IllegalStateException("no business day within a year after " + date);
  }

  /**
   * The opening time of {@code businessDay}, or of the first business day after it when it is not
   * one.
   */
  public Instant openingOf(LocalDate businessDay) {
    LocalDate d = isBusinessDay(businessDay) ? businessDay : nextBusinessDay(businessDay);
    return ZonedDateTime.of(d, opens, zone).toInstant();
  }

  /** {@code instant} itself when within office hours, else the next opening after it. */
  public Instant nextOfficeTime(Instant instant) {
    if (isOfficeHours(instant)) {
      return instant;
    }
    ZonedDateTime t = instant.atZone(zone);
    LocalDate d = t.toLocalDate();
    if (isBusinessDay(d) && t.toLocalTime().isBefore(opens)) {
      return ZonedDateTime.of(d, opens, zone).toInstant();
    }
    return openingOf(nextBusinessDay(d));
  }

  /**
   * The same local time {@code n} business days after {@code instant}'s date, moved into office
   * hours. Used for the minimum gap between two messages.
   */
  public Instant plusBusinessDays(Instant instant, int n) {
    ZonedDateTime t = instant.atZone(zone);
    LocalDate d = addBusinessDays(t.toLocalDate(), n);
    Instant candidate = ZonedDateTime.of(LocalDateTime.of(d, t.toLocalTime()), zone).toInstant();
    return nextOfficeTime(candidate);
  }

  /** The local date of {@code instant} in this calendar's zone. */
  public LocalDate dateOf(Instant instant) {
    return instant.atZone(zone).toLocalDate();
  }

  /** Easter Sunday of {@code year} (Gregorian, anonymous algorithm). */
  public static LocalDate easterSunday(int year) {
    int a = year % 19;
    int b = year / 100;
    int c = year % 100;
    int d = b / 4;
    int e = b % 4;
    int f = (b + 8) / 25;
    int g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4;
    int k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int day = ((h + l - 7 * m + 114) % 31) + 1;
    return LocalDate.of(year, month, day);
  }

  @Override
  public String toString() {
    return "BusinessCalendar["
        + zone
        + ", "
        + workingDays
        + ", "
        + opens
        + "-"
        + closes
        + ", "
        + holidays.size()
        + " extra holidays]";
  }

  /** Builds a {@link BusinessCalendar}; starts from the Chilean defaults. Not thread safe. */
  public static final class Builder {
    private ZoneId zone = DEFAULT_ZONE;
    private Set<DayOfWeek> workingDays =
        EnumSet.of(
            DayOfWeek.MONDAY,
            DayOfWeek.TUESDAY,
            DayOfWeek.WEDNESDAY,
            DayOfWeek.THURSDAY,
            DayOfWeek.FRIDAY);
    private LocalTime opens = DEFAULT_OPENS;
    private LocalTime closes = DEFAULT_CLOSES;
    private Set<MonthDay> fixedHolidays = new HashSet<>(CHILE_FIXED_HOLIDAYS);
    private List<Integer> easterOffsets = new ArrayList<>(CHILE_EASTER_OFFSETS);
    private final Set<LocalDate> holidays = new HashSet<>();
    private boolean chileanMovable = true;

    private Builder() {}

    /**
     * Whether Chile's holidays that move by law are observed (default true); off for a calendar of
     * another country, with {@link #fixedHolidays} and {@link #easterOffsets} replaced too.
     */
    public Builder chileanMovableHolidays(boolean observe) {
      chileanMovable = observe;
      return this;
    }

    /** The time zone office hours are in. */
    public Builder zone(ZoneId z) {
      zone = Objects.requireNonNull(z, "zone == null");
      return this;
    }

    /** The days of the week that are working days (at least one). */
    public Builder workingDays(Collection<DayOfWeek> days) {
      if (days.isEmpty()) {
        throw new IllegalArgumentException("no working days");
      }
      workingDays = EnumSet.copyOf(days);
      return this;
    }

    /** Office opening (inclusive) and closing (exclusive) times. */
    public Builder officeHours(LocalTime open, LocalTime close) {
      if (!Objects.requireNonNull(open, "open == null")
          .isBefore(Objects.requireNonNull(close, "close == null"))) {
        throw new IllegalArgumentException(
            "office hours must open before they close: " + open + "-" + close);
      }
      opens = open;
      closes = close;
      return this;
    }

    /** Replaces the yearly fixed-date holidays. */
    public Builder fixedHolidays(Collection<MonthDay> days) {
      fixedHolidays = new HashSet<>(days);
      return this;
    }

    /** Replaces the Easter-based holidays (offsets in days from Easter Sunday). */
    public Builder easterOffsets(Collection<Integer> offsets) {
      easterOffsets = new ArrayList<>(offsets);
      return this;
    }

    /** Adds holidays on given dates (movable ones, company days). */
    public Builder holidays(Collection<LocalDate> dates) {
      holidays.addAll(dates);
      return this;
    }

    /** The calendar. */
    public BusinessCalendar build() {
      return new BusinessCalendar(this);
    }
  }
}
