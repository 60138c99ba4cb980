package com.kontroltravel.oc.pdf.pdfbox.corpus;

import java.util.Random;

/** The confirmation as HTML (tables and flex boxes, narrow header column) for Chromium to print. */
final class HtmlConfirmation {
  private HtmlConfirmation() {}

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** A value cell shifted up to 2 pt off the label's baseline. */
  static String v(String text, Random rnd) {
    float dy = (rnd.nextInt(9) - 4) * 0.5f;
    return "<span class=\"v\" style=\"top:" + dy + "pt\">" + esc(text) + "</span>";
  }

  static String render(Booking b) {
    Random rnd = new Random(b.seed() * 31);
    String font = b.seed() % 2 == 0 ? "'Liberation Sans'" : "'DejaVu Sans'";
    return """
        <!DOCTYPE html>
        <html lang="es"><head><meta charset="utf-8"><title>Resumen de servicios</title>
        <style>
          @page { size: A4; margin: 14mm; }
          body { font-family: %s, sans-serif; font-size: 9pt; color: #222; }
          h1 { font-size: 15pt; margin: 0 0 2pt 0; }
          .small { font-size: 7pt; color: #777; }
          .hdr { display: flex; margin: 18pt 0 0 140pt; gap: 24pt; }
          .hdr table { border-collapse: collapse; }
          .hdr td { padding: 0 4pt 6pt 0; vertical-align: top; }
          .right { margin-top: 7pt; }
          .right td.val { width: 120pt; }
          .l { font-weight: bold; white-space: nowrap; }
          .v { position: relative; }
          h2 { font-size: 12pt; margin: 20pt 0 6pt 0; }
          .hotel { display: flex; justify-content: space-between; font-weight: bold; font-size: 11pt; margin-left: 4pt; }
          .grid { width: 100%%; border-collapse: collapse; font-size: 8pt; margin-left: 4pt; }
          .grid td { padding: 1pt 6pt 1pt 0; }
          .room { font-size: 8pt; font-weight: bold; margin: 10pt 0 4pt 4pt; }
          .sect { font-weight: bold; margin: 10pt 0 2pt 8pt; }
          .ind { margin-left: 30pt; }
          .id { display: flex; justify-content: space-between; margin: 2pt 40pt 0 4pt; }
        </style></head><body>
        <h1>Resumen de servicios</h1>
        <div class="small">[paginaEticketHeader]</div>
        <div class="hdr">
          <table class="left">
            <tr><td class="l">LOC Interno:</td><td>%s</td></tr>
            <tr><td class="l">Localizador:</td><td>%s</td></tr>
            <tr><td class="l">Estado:</td><td>%s</td></tr>
          </table>
          <table class="right">
            <tr><td class="l">Agencia:</td><td class="val">%s</td></tr>
            <tr><td class="l">Fecha Emision:</td><td class="val">%s</td></tr>
          </table>
        </div>
        <h2>Hoteles</h2>
        <div class="hotel"><span>%s</span><span>Total: %s</span></div>
        <table class="grid">
          <tr><td>Av. Principal 255, Santiago</td><td><b>Check In:</b> %s</td><td><b>Check Out:</b> %s</td></tr>
          <tr><td>Teléfono:56233520700</td><td><b>Hora Llegada:</b> 3:00 PM</td><td><b>Hora Salida:</b> 11:00 AM</td></tr>
          <tr><td></td><td><b>Noches:</b> %s</td><td><b>Habitaciones:</b> %s</td></tr>
        </table>
        <div class="room">Habitación 1 \u2010 Categoría \u2010 Twin \u2010 ADT/CHD: 1/0 \u2010 Plan Alimentación: Breakfast Included</div>
        <table class="grid" style="width:60%%; margin-left:60pt"><tr><td><b>Tipo</b></td><td><b>Nombre</b></td><td><b>Apellidos</b></td></tr>
          <tr><td>ADT</td><td>UNO</td><td>PRUEBA</td></tr></table>
        <div class="sect">Límite Cancelación Reserva</div>
        <div class="ind">%s</div>
        <div class="sect">Observaciones</div>
        <div class="ind">Sin notas de hotel informadas.</div>
        <div class="sect" style="margin-left:4pt">Campos Gerenciales</div>
        <div class="sect" style="margin-left:4pt">Datos Adicionales</div>
        <div class="id"><b>ID:</b>%s</div>
        </body></html>
        """
        .formatted(
            font,
            v(b.internalLocator(), rnd),
            v(b.locator(), rnd),
            v(b.status(), rnd),
            v(b.agency(), rnd),
            v(b.issueText(), rnd),
            esc(b.hotel()),
            v(b.totalText(), rnd),
            v(b.checkInText(), rnd),
            v(b.checkOutText(), rnd),
            v(String.valueOf(b.nights()), rnd),
            v(String.valueOf(b.rooms()), rnd),
            v(b.cancellationText(), rnd),
            v(b.reservationId(), rnd));
  }
}
