package org.warder.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The completion scripts the build writes to target/completion. */
class CompletionTest {
  private static final Path DIR = Path.of("target", "completion").toAbsolutePath();

  @Test
  void bashScriptsAreValidAndCompleteSubcommandsAndOptions() throws Exception {
    for (String name : List.of("warder", "warder-registry")) {
      Shell.Result syntax = Shell.run(List.of("bash", "-n", script(name + ".bash")));
      assertThat(syntax.err()).as(name).isEmpty();
      assertThat(syntax.exit()).as(name).isZero();
    }
    assertThat(bashOffers("warder", "st")).containsExactly("start", "stop");
    assertThat(bashOffers("warder", "repo", ""))
        .containsExactly("add", "list", "refresh", "remove");
    assertThat(bashOffers("warder", "start", "--r")).contains("--rc", "--root", "--runtime");
    assertThat(bashOffers("warder-registry", "to")).containsExactly("token");
  }

  @Test
  void zshFilesAreValidAndRegisterTheSameCompletion() throws Exception {
    for (String name : List.of("warder", "warder-registry")) {
      Shell.Result syntax = Shell.run(List.of("zsh", "-n", script("_" + name)));
      assertThat(syntax.err()).as(name).isEmpty();
      assertThat(syntax.exit()).as(name).isZero();
    }
    // zsh filters the offered words by the typed prefix itself (compadd), so the function's
    // answer for "warder st" holds every subcommand, start and stop among them; compinit -D
    // writes no dump file (with -d /dev/null its compdump moved the dump over /dev/null)
    Shell.Result zsh =
        Shell.run(
            List.of(
                "zsh",
                "-fc",
                "autoload -U +X compinit && compinit -u -D\n"
                    + "source '"
                    + script("warder.bash")
                    + "'\n"
                    + "print -r -- \"registered: ${_comps[warder]}\"\n"
                    + "COMP_WORDS=(warder st); COMP_CWORD=1\n"
                    + "_complete_warder\n"
                    + "print -r -- \"offered: ${COMPREPLY[*]}\"\n"));
    assertThat(zsh.out())
        .contains("registered: _bash_complete -F _complete_warder -o default")
        .containsPattern("offered: .*\\bstart\\b.*\\bstop\\b");
    assertThat(java.nio.file.Files.readString(Path.of(script("_warder"))))
        .startsWith("#compdef warder\n")
        .endsWith("\n_bash_complete -F _complete_warder -o default \"$@\"\n");
  }

  private static String script(String file) {
    return DIR.resolve(file).toString();
  }

  /** What the completion function of {@code name} offers after {@code name words...} in bash. */
  private static List<String> bashOffers(String name, String... words) throws Exception {
    StringBuilder array = new StringBuilder("'" + name + "'");
    for (String w : words) {
      array.append(" '").append(w).append("'");
    }
    String line = name + " " + String.join(" ", words);
    String program =
        "source '"
            + script(name + ".bash")
            + "'\n"
            + "compopt() { :; }\n" // only callable inside a real completion
            + "COMP_WORDS=("
            + array
            + "); COMP_CWORD="
            + words.length
            + "\n"
            + "COMP_LINE='"
            + line
            + "'; COMP_POINT="
            + line.length()
            + "\n"
            + Completion.functionName(name)
            + "\n"
            + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
    Shell.Result result = Shell.run(List.of("bash", "-c", program));
    assertThat(result.exit()).as(result.err()).isZero();
    return Arrays.stream(result.out().split("\n")).filter(s -> !s.isBlank()).toList();
  }
}
