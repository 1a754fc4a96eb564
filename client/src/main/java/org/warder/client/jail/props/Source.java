package org.warder.client.jail.props;

/** Where property values come from; decides which keys may be set and how errors say where. */
enum Source {
  USER(""),
  MANIFEST(" (in the plugin manifest's properties)"),
  IDENTITY(""),
  CONFIG(" (in config.json)");

  final String where;

  Source(String where) {
    this.where = where;
  }
}
