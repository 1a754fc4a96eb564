package org.warder.registry.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TokenStore} does, run against each adapter by a subclass: two instances over
 * the same backing state stand for two nodes (or the CLI and a running server).
 */
public abstract class TokenStoreContract {
  protected static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-01T10:15:30.750Z"), ZoneOffset.UTC);

  private TokenStore store;
  private TokenStore otherNode;

  /** A new store over fresh, empty backing state. */
  protected abstract TokenStore newStore() throws Exception;

  /** Another store over the same backing state as the last {@link #newStore}. */
  protected abstract TokenStore sameState() throws Exception;

  @BeforeEach
  void setUpStores() throws Exception {
    store = newStore();
    otherNode = sameState();
  }

  @Test
  void testCreate_authenticatesOnEveryNodeWithItsLimits() throws Exception {
    TokenStore.Limits limits = new TokenStore.Limits(2, 1000, 500);
    TokenStore.Created created = store.create("acme", List.of("acme", "acme-beta"), limits);

    assertThat(created.secret()).matches("wrd_[0-9a-f]{12}_[0-9a-f]{64}");
    assertThat(created.secret()).contains(created.token().id());
    TokenStore.Token expected =
        new TokenStore.Token(
            created.token().id(),
            "acme",
            List.of("acme", "acme-beta"),
            Instant.parse("2026-12-01T10:15:30Z"),
            limits);
    assertThat(created.token()).isEqualTo(expected);
    assertThat(store.authenticate(created.secret())).contains(expected);
    assertThat(otherNode.authenticate(created.secret())).contains(expected);
  }

  @Test
  void testAuthenticate_refusesAWrongSecretOrAMalformedToken() throws Exception {
    String secret = store.create("acme", List.of("acme")).secret();
    char last = secret.charAt(secret.length() - 1);
    String wrong = secret.substring(0, secret.length() - 1) + (last == '0' ? '1' : '0');

    assertThat(store.authenticate(wrong)).isEmpty();
    assertThat(store.authenticate(secret.substring(1))).isEmpty();
    assertThat(store.authenticate("")).isEmpty();
    assertThat(store.authenticate("wrd_0123456789ab_" + "0".repeat(64))).isEmpty();
  }

  @Test
  void testList_oldestFirstWithDefaultLimits() throws Exception {
    TokenStore.Token first = store.create("acme", List.of("acme")).token();
    TokenStore.Token second = otherNode.create("globex", List.of("globex", "x")).token();
    TokenStore.Token third = store.create("initech", List.of()).token();

    assertThat(store.list()).containsExactly(first, second, third);
    assertThat(otherNode.list()).containsExactly(first, second, third);
    assertThat(second.limits()).isEqualTo(TokenStore.Limits.DEFAULTS);
  }

  @Test
  void testRevoke_appliesToEveryNodeAtOnce() throws Exception {
    TokenStore.Created kept = store.create("acme", List.of("acme"));
    TokenStore.Created revoked = store.create("globex", List.of("globex"));
    assertThat(otherNode.authenticate(revoked.secret())).isPresent();

    assertThat(store.revoke(revoked.token().id())).isTrue();

    assertThat(otherNode.authenticate(revoked.secret())).isEmpty();
    assertThat(otherNode.authenticate(kept.secret())).contains(kept.token());
    assertThat(otherNode.list()).containsExactly(kept.token());
    assertThat(otherNode.revoke(revoked.token().id())).isFalse();
  }
}
