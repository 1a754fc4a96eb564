package org.warder.client.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Stack;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The command a user runs in a jail ({@code warder exec NAME ls -l /}, {@code warder pkg NAME
 * install -y nginx}): once its first word is reached, every argument that follows belongs to it,
 * options included, as in iocage and Bastille. warder's own options ({@code --help}) are read only
 * before the jail's name; a {@code --} right after the name is still accepted (picocli drops it, as
 * it always did), and any later {@code --} is the jail command's.
 */
final class JailCommandLine implements IParameterPreprocessor {
  @Override
  public boolean preprocess(
      Stack<String> args, CommandSpec commandSpec, ArgSpec argSpec, Map<String, Object> info) {
    List<String> rest = new ArrayList<>();
    while (!args.isEmpty()) {
      rest.add(args.pop());
    }
    argSpec.setValue(rest);
    return true;
  }
}
