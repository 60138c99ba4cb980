package com.kontroltravel.oc.examples;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code import-legacy PATH}: copies the old system's SQLite database into the configured store.
 */
@Command(
    name = "import-legacy",
    mixinStandardHelpOptions = true,
    description = {
      "Imports the old system's SQLite database (reservas, correos_enviados, ordenes_compra,"
          + " configuracion_clientes) into the configured store, keeping which messages were"
          + " already sent so no agency is asked twice. Bookings already in the store are left"
          + " alone. Exit code 1 when some rows could not be imported (each is listed)."
    })
final class ImportLegacyCommand implements Callable<Integer> {
  @ParentCommand Runner root;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PATH", description = "The old oc_seguimiento.db")
  Path legacy;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    RunnerSettings settings = root.settings();
    try (AdminSession admin = AdminSession.open(settings, root.clock, false)) {
      LegacyImport importer = new LegacyImport(admin.store(), admin.config(), root.clock);
      int[] total = {0};
      Progress[] bar = {null};
      LegacyImport.Result r =
          importer.run(
              legacy,
              (done, id) -> {
                if (bar[0] == null) {
                  bar[0] = new Progress(out, Progress.isTerminal(), "importing", total[0]);
                }
                bar[0].update(done, id);
              },
              total);
      if (bar[0] != null) {
        bar[0].finish();
      }
      r.problems().forEach(p -> spec.commandLine().getErr().println("not imported: " + p));
      out.printf(
          "agencies %d, bookings imported %d, already present %d, sent messages kept %d,"
              + " problems %d%n",
          r.agencies(), r.imported(), r.skipped(), r.sentMessages(), r.problems().size());
      out.flush();
      return r.problems().isEmpty() ? 0 : 1;
    }
  }
}
