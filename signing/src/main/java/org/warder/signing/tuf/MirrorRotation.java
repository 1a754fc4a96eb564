package org.warder.signing.tuf;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Asks mirrors in turn, round after round: each mirror gets one attempt per round, so a dead mirror
 * costs one failed attempt before the next one is asked, not the fetcher's whole retry deadline.
 * Mirrors that failed in a way another attempt could fix ({@link FetchGaveUpException}) are asked
 * again in the next round, after the pause the fetcher's {@link RetrySchedule} gives; mirrors that
 * answered for good (a status, wrong bytes) are not. The rotation ends when a mirror served what
 * the caller accepted, when no mirror is left to ask again, or when the schedule gives up. Not
 * thread-safe.
 */
final class MirrorRotation {
  private final RetrySchedule retries;
  private final Map<URI, Exception> failures = new LinkedHashMap<>();
  private List<URI> round;
  private final List<URI> again = new ArrayList<>();
  private Optional<FetchGaveUpException> gaveUp = Optional.empty();

  MirrorRotation(List<URI> mirrors, RetrySchedule retries) {
    this.round = List.copyOf(mirrors);
    this.retries = retries;
  }

  /** The mirrors to ask in this round, in order. */
  List<URI> round() {
    return round;
  }

  /** Records how {@code mirror} failed; one that may answer later is asked in the next round. */
  void failed(URI mirror, Exception failure) {
    failures.put(mirror, failure);
    if (failure instanceof FetchGaveUpException) {
      again.add(mirror);
    }
  }

  /**
   * Whether another round follows, after the schedule's pause: false when every mirror answered for
   * good, or when the schedule gave up.
   */
  boolean nextRound() throws IOException {
    if (again.isEmpty()) {
      return false;
    }
    Exception last = failures.get(again.get(again.size() - 1));
    try {
      retries.pause(last.getCause() instanceof Exception cause ? cause : last);
    } catch (FetchGaveUpException e) {
      gaveUp = Optional.of(e);
      return false;
    }
    round = List.copyOf(again);
    again.clear();
    return true;
  }

  /**
   * The failure that ended the rotation: the schedule's giving up when it did (the mirrors' last
   * failures attached as suppressed), otherwise the first mirror's failure (the others suppressed).
   * Thrown here when it is a {@link TufException}, returned for the caller to throw otherwise.
   */
  IOException failure() throws TufException {
    List<Exception> all = new ArrayList<>(failures.values());
    gaveUp.ifPresent(e -> all.add(0, e));
    Exception first = all.get(0);
    all.subList(1, all.size()).forEach(first::addSuppressed);
    if (first instanceof TufException t) {
      throw t;
    }
    return (IOException) first;
  }
}
