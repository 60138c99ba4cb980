/**
 * The OC tracking engine: {@link com.kontroltravel.oc.OcEngine} (lifecycle), {@link
 * com.kontroltravel.oc.OcOperations} (queries and operator actions), the model, the SPI and an
 * in-memory store. The stages of the flow are package-private in {@code com.kontroltravel.oc}.
 */
module com.kontroltravel.oc {
  requires org.slf4j;
  requires com.samskivert.jmustache;

  exports com.kontroltravel.oc;
  exports com.kontroltravel.oc.exception;
  exports com.kontroltravel.oc.model;
  exports com.kontroltravel.oc.settings;
  exports com.kontroltravel.oc.spi;
  exports com.kontroltravel.oc.store.memory;
}
