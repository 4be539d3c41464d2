package org.appctools.cli.actool;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.store.StoredImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "gc",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool image gc",
      "  actool image gc --grace-period 0s"},
    description = {
    "Remove the images not used within the grace period, and what interrupted commands left",
    "",
    "An image's last use is when a command last ran it (else when it was imported)."})
final class ImageGcCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StoreOptions store;

  @Option(names = "--grace-period", paramLabel = "DURATION", defaultValue = "24h", converter = GoDuration.class,
      description = "Keep images used within this long (e.g. 24h, 30m, 1h30m; default ${DEFAULT-VALUE})")
  Duration gracePeriod;

  @Override
  public Integer call() throws AppcException {
    for (StoredImage i : store.store().gc(gracePeriod, Instant.now())) {
      spec.commandLine().getOut().println("Removed " + i.id() + " (" + i.nameAndVersion() + ")");
    }
    return 0;
  }
}
