package org.warder.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.warder.signing.testing.ExternalTools;
import org.warder.signing.tuf.Keys;

/**
 * Ed25519 signing, key ids and signature verification against securesystemslib (Debian's
 * python3-securesystemslib under {@code /usr/bin/python3}, which signs with PyNaCl) in both
 * directions, plus ECDSA P-256 and RSA-PSS signatures made by securesystemslib. Python runs once
 * for the whole class.
 */
class Ed25519InteropTest {
  private static final HexFormat HEX = HexFormat.of();

  /** A TUF-like document with non-ASCII and escapes, so canonicalisation matters. */
  private static final String DOCUMENT =
      "{\"signed\": {\"_type\": \"targets\", \"version\": 3, \"expires\": \"2030-01-01T00:00:00Z\","
          + " \"spec_version\": \"1.0.31\", \"targets\": {\"caf\\u00e9/\uD83D\uDE00 \\\"q\\\".txz\":"
          + " {\"length\": 18446744073709551616, \"hashes\": {\"sha256\": \"00\"}, \"custom\":"
          + " {\"\uE000\": 1, \"\uD83D\uDE01\": 2, \"Z\": \"\\\\\\n\"}}}}}";

  /** RFC 8032 section 7.1, test 1 seed; used as the deterministic cross-implementation key. */
  private static final byte[] SEED =
      HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

  private static final Ed25519SigningKey GENERATED = Ed25519SigningKey.generate();
  private static final Ed25519SigningKey FROM_SEED = Ed25519SigningKey.fromSeed(SEED);

  private static final String SCRIPT =
      """
      import base64, hashlib, json, sys
      import securesystemslib
      from securesystemslib import keys
      from securesystemslib.formats import encode_canonical
      from securesystemslib.signer import SSlibKey, Signature
      from cryptography.hazmat.primitives import serialization
      from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

      def keyid(keytype, scheme, public):
          # the TUF 1.0 keyid: sha256 over the canonical key object, as python-tuf lists keys
          obj = SSlibKey('x', keytype, scheme, {'public': public}).to_dict()
          return hashlib.sha256(encode_canonical(obj).encode('utf-8')).hexdigest()

      def sslib_verify(keytype, scheme, public, sig, data):
          kid = keyid(keytype, scheme, public)
          legacy = {'keytype': keytype, 'scheme': scheme, 'keyid': kid, 'keyval': {'public': public}}
          old = keys.verify_signature(legacy, {'keyid': kid, 'sig': sig}, data)
          try:
              SSlibKey(kid, keytype, scheme, {'public': public}).verify_signature(Signature(kid, sig), data)
              new = True
          except Exception:
              new = False
          return old, new

      def tamper(data):
          return data[:-1] + bytes([data[-1] ^ 1])

      req = json.load(sys.stdin)
      canonical = encode_canonical(json.loads(req['document'])).encode('utf-8')
      out = {'version': securesystemslib.__version__,
             'canonical': base64.b64encode(canonical).decode('ascii'),
             'java': []}
      for k in req['java_keys']:
          ok_old, ok_new = sslib_verify('ed25519', 'ed25519', k['public'], k['sig'], canonical)
          bad_old, bad_new = sslib_verify('ed25519', 'ed25519', k['public'], k['sig'], tamper(canonical))
          r = {'keyid': keyid('ed25519', 'ed25519', k['public']),
               'legacy_keyid': keys._get_keyid('ed25519', 'ed25519', {'public': k['public']}),
               'verified': ok_old, 'verified_signer_api': ok_new,
               'tampered_verified': bad_old or bad_new}
          if k.get('seed'):
              seed = bytes.fromhex(k['seed'])
              public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(
                  serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()
              d = {'keytype': 'ed25519', 'scheme': 'ed25519', 'keyid': keyid('ed25519', 'ed25519', public),
                   'keyval': {'public': public, 'private': k['seed']}}
              r['public_from_seed'] = public
              r['sig_from_seed'] = keys.create_signature(d, canonical)['sig']
          out['java'].append(r)

      data = base64.b64decode(req['message'])
      ed = keys.generate_ed25519_key()
      out['ed25519'] = {'keytype': ed['keytype'], 'scheme': ed['scheme'],
                        'public': ed['keyval']['public'], 'legacy_keyid': ed['keyid'],
                        'keyid_hash_algorithms': ed['keyid_hash_algorithms'],
                        'keyid': keyid(ed['keytype'], ed['scheme'], ed['keyval']['public']),
                        'sig': keys.create_signature(ed, data)['sig']}
      for name, generate in (('ecdsa', getattr(keys, 'generate_ecdsa_key', None)),
                             ('rsa', getattr(keys, 'generate_rsa_key', None))):
          try:
              key = generate()
              out[name] = {'keytype': key['keytype'], 'scheme': key['scheme'],
                           'public': key['keyval']['public'],
                           'keyid': keyid(key['keytype'], key['scheme'], key['keyval']['public']),
                           'sig': keys.create_signature(key, data)['sig']}
          except Exception as e:
              out[name] = {'unsupported': type(e).__name__ + ': ' + str(e)}
      json.dump(out, sys.stdout)
      """;

  private static JsonNode reference;
  private static AssertionError failure;
  private static byte[] javaCanonical;
  private static byte[] message;

  // keeps Python's failure so that later tests rethrow it instead of running Python again
  @SuppressWarnings("StaticAssignmentOfThrowable")
  private static synchronized JsonNode reference() throws Exception {
    if (failure != null) {
      throw failure; // Python already failed for an earlier test; do not run it again
    }
    if (reference == null) {
      javaCanonical = CanonicalJson.encode(StrictJson.parse(DOCUMENT));
      message = "warder interop \u00e9\uD83D\uDE00 ".getBytes(StandardCharsets.UTF_8);
      ObjectNode request = StrictJson.mapper().createObjectNode();
      request.put("document", DOCUMENT);
      request.put("message", Base64.getEncoder().encodeToString(message));
      request.putArray("java_keys").add(javaKey(GENERATED, null)).add(javaKey(FROM_SEED, SEED));
      byte[] out;
      try {
        out = ExternalTools.runPython(SCRIPT, StrictJson.mapper().writeValueAsBytes(request));
      } catch (AssertionError e) {
        failure = e;
        throw e;
      }
      reference = StrictJson.mapper().readTree(out);
    }
    return reference;
  }

  private static ObjectNode javaKey(Ed25519SigningKey key, byte[] seed) throws Exception {
    ObjectNode k = StrictJson.mapper().createObjectNode();
    k.put("public", key.publicKey().publicValue());
    k.put("sig", HEX.formatHex(key.sign(CanonicalJson.encode(StrictJson.parse(DOCUMENT)))));
    if (seed != null) {
      k.put("seed", HEX.formatHex(seed));
    }
    return k;
  }

  private static Key keyFromJson(String json) throws Exception {
    return Keys.fromJson(StrictJson.parse(json), "$");
  }

  private static String flipLastHexDigitBit(String hex) {
    byte[] b = HEX.parseHex(hex);
    b[b.length - 1] ^= 1;
    return HEX.formatHex(b);
  }

  private static byte[] flipLastBit(byte[] data) {
    byte[] b = data.clone();
    b[b.length - 1] ^= 1;
    return b;
  }

  // Java signs, securesystemslib verifies

  @Test
  void testCanonicalBytes_signedByJavaAreTheOnesSecuresystemslibVerifies() throws Exception {
    JsonNode ref = reference();
    assertThat(Base64.getDecoder().decode(ref.get("canonical").asText())).isEqualTo(javaCanonical);
  }

  @Test
  void testSign_generatedKeyVerifiedBySecuresystemslib() throws Exception {
    JsonNode r = reference().get("java").get(0);
    assertThat(r.get("verified").booleanValue()).as("keys.verify_signature").isTrue();
    assertThat(r.get("verified_signer_api").booleanValue())
        .as("SSlibKey.verify_signature")
        .isTrue();
    assertThat(r.get("tampered_verified").booleanValue())
        .as("one flipped bit of the data")
        .isFalse();
  }

  @Test
  void testKeyId_generatedKeyMatchesSecuresystemslib() throws Exception {
    JsonNode r = reference().get("java").get(0);
    assertThat(GENERATED.keyId()).isEqualTo(r.get("keyid").asText()).matches("[0-9a-f]{64}");
    // The legacy keyid of securesystemslib's keys module also hashes keyid_hash_algorithms; a key
    // object carrying that field must keep it in its keyid.
    Key legacy =
        keyFromJson(
            "{\"keytype\":\"ed25519\",\"scheme\":\"ed25519\",\"keyid_hash_algorithms\":"
                + "[\"sha256\",\"sha512\"],\"keyval\":{\"public\":\""
                + GENERATED.publicKey().publicValue()
                + "\"}}");
    assertThat(legacy.keyId())
        .isEqualTo(r.get("legacy_keyid").asText())
        .isNotEqualTo(GENERATED.keyId());
  }

  @Test
  void testSign_fromSeedIsByteIdenticalToSecuresystemslib() throws Exception {
    JsonNode r = reference().get("java").get(1);
    assertThat(FROM_SEED.publicKey().publicValue()).isEqualTo(r.get("public_from_seed").asText());
    assertThat(HEX.formatHex(FROM_SEED.sign(javaCanonical)))
        .as("Ed25519 is deterministic: same seed, same data, same signature")
        .isEqualTo(r.get("sig_from_seed").asText());
    assertThat(r.get("verified").booleanValue()).isTrue();
    assertThat(FROM_SEED.keyId()).isEqualTo(r.get("keyid").asText());
  }

  // securesystemslib signs, Java verifies

  @Test
  void testVerify_acceptsSecuresystemslibEd25519Signature() throws Exception {
    JsonNode ed = reference().get("ed25519");
    Key key =
        keyFromJson(
            "{\"keytype\":\"ed25519\",\"scheme\":\"ed25519\",\"keyval\":{\"public\":\""
                + ed.get("public").asText()
                + "\"}}");
    String sig = ed.get("sig").asText();
    assertThat(Verifiers.isSupported(key)).isTrue();
    assertThat(Verifiers.verify(key, message, sig)).isTrue();
    assertThat(Verifiers.verify(key, message, flipLastHexDigitBit(sig)))
        .as("flipped signature")
        .isFalse();
    assertThat(Verifiers.verify(key, flipLastBit(message), sig)).as("flipped data").isFalse();
    assertThat(Verifiers.verify(GENERATED.publicKey(), message, sig)).as("other key").isFalse();
    assertThat(Verifiers.verify(key, message, sig.substring(2))).as("truncated").isFalse();
    assertThat(Verifiers.verify(key, message, sig + "00")).as("extended").isFalse();
    assertThat(Verifiers.verify(key, message, "zz" + sig.substring(2))).as("not hex").isFalse();
  }

  @Test
  void testKeyId_securesystemslibEd25519KeyMatchesJava() throws Exception {
    JsonNode ed = reference().get("ed25519");
    Key key = Key.ed25519(HEX.parseHex(ed.get("public").asText()));
    assertThat(key.keyId()).isEqualTo(ed.get("keyid").asText());
    ObjectNode legacyJson = key.json();
    legacyJson.set("keyid_hash_algorithms", ed.get("keyid_hash_algorithms"));
    Key legacy = Keys.fromJson(legacyJson, "$");
    assertThat(legacy.keyId())
        .as("keyid of generate_ed25519_key(), which includes keyid_hash_algorithms")
        .isEqualTo(ed.get("legacy_keyid").asText());
  }

  @Test
  void testVerify_acceptsSecuresystemslibEcdsaP256Signature() throws Exception {
    JsonNode ec = reference().get("ecdsa");
    String version = reference().path("version").asText();
    Assumptions.assumeFalse(
        ec.has("unsupported"),
        () -> "securesystemslib " + version + " cannot make ECDSA keys: " + ec.get("unsupported"));
    ObjectNode json = StrictJson.mapper().createObjectNode();
    json.put("keytype", ec.get("keytype").asText());
    json.put("scheme", ec.get("scheme").asText());
    json.putObject("keyval").put("public", ec.get("public").asText());
    Key key = Keys.fromJson(json, "$");
    assertThat(key.scheme()).isEqualTo("ecdsa-sha2-nistp256");
    assertThat(key.publicValue()).startsWith("-----BEGIN PUBLIC KEY-----");
    String sig = ec.get("sig").asText();
    assertThat(Verifiers.verify(key, message, sig)).isTrue();
    assertThat(Verifiers.verify(key, flipLastBit(message), sig)).as("flipped data").isFalse();
    assertThat(Verifiers.verify(key, message, flipLastHexDigitBit(sig)))
        .as("flipped signature")
        .isFalse();
    assertThat(key.keyId()).isEqualTo(ec.get("keyid").asText());
  }

  @Test
  void testVerify_acceptsSecuresystemslibRsaPssSignature() throws Exception {
    JsonNode rsa = reference().get("rsa");
    Assumptions.assumeFalse(
        rsa.has("unsupported"),
        () -> "securesystemslib cannot make RSA keys: " + rsa.get("unsupported"));
    ObjectNode json = StrictJson.mapper().createObjectNode();
    json.put("keytype", rsa.get("keytype").asText());
    json.put("scheme", rsa.get("scheme").asText());
    json.putObject("keyval").put("public", rsa.get("public").asText());
    Key key = Keys.fromJson(json, "$");
    assertThat(key.scheme()).isEqualTo("rsassa-pss-sha256");
    String sig = rsa.get("sig").asText();
    assertThat(Verifiers.verify(key, message, sig)).isTrue();
    assertThat(Verifiers.verify(key, flipLastBit(message), sig)).as("flipped data").isFalse();
    assertThat(Verifiers.verify(key, message, flipLastHexDigitBit(sig)))
        .as("flipped signature")
        .isFalse();
    assertThat(key.keyId()).isEqualTo(rsa.get("keyid").asText());
  }

  // Known answers that need no Python

  @Test
  void testSign_rfc8032TestVector1() {
    // RFC 8032 section 7.1, TEST 1: the empty message
    assertThat(FROM_SEED.publicKey().publicValue())
        .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    byte[] sig = FROM_SEED.sign(new byte[0]);
    assertThat(HEX.formatHex(sig))
        .isEqualTo(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    assertThat(Verifiers.verify(FROM_SEED.publicKey(), new byte[0], HEX.formatHex(sig))).isTrue();
  }

  @Test
  void testVerify_publicKeyThatIsNotACurvePointIsNotValid() {
    String sig = HEX.formatHex(FROM_SEED.sign(new byte[0]));
    byte[] identity = new byte[32];
    identity[0] = 1;
    byte[] allOnes = new byte[32];
    Arrays.fill(allOnes, (byte) 0xff);
    for (byte[] raw : new byte[][] {new byte[32], identity, allOnes}) {
      assertThat(Verifiers.verify(Key.ed25519(raw), new byte[0], sig))
          .as(HEX.formatHex(raw))
          .isFalse();
    }
  }

  @Test
  void testKeyId_isSha256OfCanonicalKeyObject() throws Exception {
    Key key = FROM_SEED.publicKey();
    String canonical =
        "{\"keytype\":\"ed25519\",\"keyval\":{\"public\":\""
            + key.publicValue()
            + "\"},\"scheme\":\"ed25519\"}";
    assertThat(CanonicalJson.encode(key.json()))
        .isEqualTo(canonical.getBytes(StandardCharsets.US_ASCII));
    assertThat(key.keyId())
        .isEqualTo(Digests.sha256Hex(canonical.getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void testFromSeed_refusesWrongLength() {
    assertThatThrownBy(() -> Ed25519SigningKey.fromSeed(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32-byte")
        .hasMessageContaining("31 bytes");
  }
}
