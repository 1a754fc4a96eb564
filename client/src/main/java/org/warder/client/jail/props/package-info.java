/**
 * Jail properties with iocage's names, types and defaults, validated and normalized on the way in,
 * stored thin (non-defaults plus identity) in a per-jail config.json, and translated to jail(8)
 * parameters. Pure values: nothing here runs a command or touches a jail.
 *
 * <p>Entry points: {@link org.warder.client.jail.props.JailProperties} (parse, forPlugin, with,
 * withIdentity, fromConfigJson, toConfigJson, jailParameters, checkConsistent), {@link
 * org.warder.client.jail.props.PropertyCatalog} (every key, its type, default and access), {@link
 * org.warder.client.jail.props.JailName}, and the one checked error type {@link
 * org.warder.client.jail.props.PropertyException}.
 */
package org.warder.client.jail.props;
