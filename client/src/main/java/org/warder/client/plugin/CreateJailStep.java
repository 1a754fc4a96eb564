package org.warder.client.plugin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.warder.client.ClientException;
import org.warder.client.jail.CreateRequest;
import org.warder.client.jail.Jail;
import org.warder.client.jail.JailSource;
import org.warder.client.jail.Jails;
import org.warder.client.jail.props.Implied;
import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.JailProperties;
import org.warder.client.layout.HostLayout;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;

/**
 * Creates the plugin's jail, a thin clone of the manifest's release with the manifest's properties
 * under the user's (what they imply turned on, and said), and records that it holds the plugin;
 * undo destroys the jail (stopping it first), which removes everything later steps put into it.
 */
final class CreateJailStep implements Step {
  private final Jails jails;
  private final JailName name;
  private final String release;
  private final JailProperties props;
  private final List<String> turnedOn;
  private final String pluginId;
  private final String source;
  private final Path dir;

  /**
   * Jail {@code name} (in directory {@code dir}) from {@code release} with {@code props} (and what
   * was turned on in them), marked as holding plugin {@code pluginId} from {@code source}.
   */
  CreateJailStep(
      Jails jails,
      JailName name,
      Path dir,
      String release,
      Implied props,
      String pluginId,
      String source) {
    this.jails = jails;
    this.name = name;
    this.dir = dir;
    this.release = release;
    this.props = props.props();
    this.turnedOn = props.turnedOn();
    this.pluginId = pluginId;
    this.source = source;
  }

  @Override
  public String name() {
    return "create";
  }

  @Override
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    lines.add(
        "create jail "
            + name
            + ": a thin clone of "
            + HostLayout.releaseName(release)
            + "/root at "
            + dir.resolve("root"));
    turnedOn.forEach(t -> lines.add("turn on " + t));
    lines.add(
        "write "
            + dir.resolve("config.json")
            + " "
            + props.explicit()
            + " (type plugin, plugin_name "
            + pluginId
            + ")");
    return lines;
  }

  @Override
  public void run(Reporter reporter) throws ClientException, IOException, InterruptedException {
    turnedOn.forEach(t -> reporter.info(name + ": turned on " + t));
    List<String> keyValues = new ArrayList<>();
    props.explicit().forEach((k, v) -> keyValues.add(k + "=" + v));
    Jail jail =
        jails
            .creator()
            .create(
                new CreateRequest(
                    name, JailSource.Release.of(release), CreateRequest.Mode.THIN, keyValues));
    jails.creator().markPlugin(jail, pluginId, source);
  }

  @Override
  public void undo(Reporter reporter) throws ClientException, IOException, InterruptedException {
    jails.destroyer().destroy(name.value(), true);
  }
}
