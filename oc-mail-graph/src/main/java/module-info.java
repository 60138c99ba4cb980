/**
 * {@link com.kontroltravel.oc.mail.graph.GraphMailGateway}: the engine's mail over Microsoft Graph.
 */
module com.kontroltravel.oc.mail.graph {
  requires transitive com.kontroltravel.oc.mail.common;
  requires java.net.http;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports com.kontroltravel.oc.mail.graph;
}
