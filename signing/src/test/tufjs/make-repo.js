#!/usr/bin/env node
'use strict';
/*
 * Writes a TUF 1.0 repository with consistent snapshots, built only with tuf-js's metadata
 * model (@tufjs/models), its canonical JSON (@tufjs/canonical-json) and Node's crypto, for
 * warder's interoperability test (TufJsInteropTest).
 *
 *   node make-repo.js OUTDIR
 *
 * OUTDIR/metadata/1.root.json     root v1: root key A (ed25519, threshold 1)
 * OUTDIR/metadata/2.root.json     root v2: root keys B and C (ed25519, threshold 2), signed by A, B, C
 * OUTDIR/metadata/1.targets.json  top-level targets: one target, delegation to "releases" (terminating)
 * OUTDIR/metadata/1.releases.json the delegated role: releases/14.2-RELEASE/amd64/base.txz
 * OUTDIR/metadata/2.snapshot.json snapshot v2, lengths and hashes of both targets roles,
 *                                 signed by an ed25519 key and an ecdsa-sha2-nistp256 key
 * OUTDIR/metadata/timestamp.json  timestamp v3
 * OUTDIR/targets/<dir>/<sha256>.<name>  the target files (consistent snapshots)
 * OUTDIR/trusted-root.json        a copy of 1.root.json, the client's initial trusted root
 * OUTDIR/expected.json            every target path with its length, sha256 and signing role
 *
 * Keys are fresh for every run. Every expiry is TUF_EXPIRES (an ISO 8601 instant) when set,
 * otherwise one year after now. Files are written pretty-printed, as tuf-js and python-tuf
 * repositories usually are: signatures cover the canonical form of "signed", not the file bytes.
 *
 * Custom fields use only characters below U+E000 in object keys: @tufjs/canonical-json sorts keys
 * by UTF-16 code unit, securesystemslib (and warder) by code point, and the two orders differ for
 * keys mixing characters above U+FFFF with ones in U+E000..U+FFFF.
 */
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { canonicalize } = require('@tufjs/canonical-json');
const {
  Metadata,
  Root,
  Targets,
  Snapshot,
  Timestamp,
  Key,
  MetaFile,
  TargetFile,
  Signature,
} = require('@tufjs/models');
// Role, DelegatedRole and Delegations are not re-exported by the package index.
const { Role, DelegatedRole } = require('@tufjs/models/dist/role');
const { Delegations } = require('@tufjs/models/dist/delegations');

const SPEC_VERSION = '1.0.31';

function usage() {
  process.stderr.write('usage: node make-repo.js OUTDIR\n');
  process.exit(2);
}

function expiry() {
  const raw = process.env.TUF_EXPIRES;
  const date = raw ? new Date(raw) : new Date(Date.now() + 365 * 24 * 3600 * 1000);
  if (Number.isNaN(date.getTime())) {
    throw new Error(`TUF_EXPIRES is not an ISO 8601 instant: ${raw}`);
  }
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z'); // YYYY-MM-DDTHH:MM:SSZ
}

function sha256(bytes) {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

function sha512(bytes) {
  return crypto.createHash('sha512').update(bytes).digest('hex');
}

/** A signing key: the tuf-js Key (keyid = sha256 of the canonical key object) and a signer. */
function ed25519Key(extraFields) {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url');
  return makeKey('ed25519', 'ed25519', raw.toString('hex'), extraFields, (data) =>
    crypto.sign(null, data, privateKey));
}

function ecdsaP256Key() {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pem = publicKey.export({ type: 'spki', format: 'pem' });
  // DER-encoded ECDSA signature over SHA-256, as securesystemslib writes them.
  return makeKey('ecdsa', 'ecdsa-sha2-nistp256', pem, {}, (data) =>
    crypto.sign('sha256', data, { key: privateKey, dsaEncoding: 'der' }));
}

function makeKey(keyType, scheme, publicValue, extraFields, sign) {
  const unkeyed = new Key({
    keyID: '',
    keyType,
    scheme,
    keyVal: { public: publicValue },
    unrecognizedFields: extraFields || {},
  });
  const keyID = sha256(Buffer.from(canonicalize(unkeyed.toJSON()), 'utf8'));
  const key = new Key({
    keyID,
    keyType,
    scheme,
    keyVal: { public: publicValue },
    unrecognizedFields: extraFields || {},
  });
  const signer = (data) => new Signature({ keyID, sig: sign(data).toString('hex') });
  return { key, keyID, signer };
}

function signWith(metadata, keys) {
  for (const k of keys) {
    metadata.sign(k.signer, true);
  }
  return metadata;
}

function serialize(metadata) {
  return Buffer.from(JSON.stringify(metadata.toJSON(), null, 2) + '\n', 'utf8');
}

function write(file, bytes) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
}

/** Checks with tuf-js itself that `delegator` trusts `metadata` for `role` (throws if not). */
function selfCheck(delegator, role, metadata) {
  const reparsed = Metadata.fromJSON(metadata.signed.type, JSON.parse(serialize(metadata).toString('utf8')));
  delegator.verifyDelegate(role, reparsed);
}

function main() {
  const out = process.argv[2];
  if (!out) {
    usage();
  }
  const expires = expiry();
  const metadataDir = path.join(out, 'metadata');
  const targetsDir = path.join(out, 'targets');

  // Keys. One ed25519 key carries the legacy securesystemslib field keyid_hash_algorithms,
  // which counts in its keyid like any other field of the key object.
  const rootA = ed25519Key({ keyid_hash_algorithms: ['sha256', 'sha512'] });
  const rootB = ed25519Key();
  const rootC = ed25519Key();
  const targetsKey = ed25519Key();
  const snapshotKey = ed25519Key();
  const snapshotEcdsa = ecdsaP256Key();
  const timestampKey = ed25519Key();
  const releasesKey = ed25519Key();

  // Root v1 and v2 (rotation of the root keys: v2 is signed by v1's threshold and its own).
  function rootVersion(version, rootKeys, rootThreshold) {
    const role = (keys, threshold) => new Role({ keyIDs: keys.map((k) => k.keyID), threshold });
    const all = [...rootKeys, targetsKey, snapshotKey, snapshotEcdsa, timestampKey];
    return new Root({
      version,
      specVersion: SPEC_VERSION,
      expires,
      consistentSnapshot: true,
      keys: Object.fromEntries(all.map((k) => [k.keyID, k.key])),
      roles: {
        root: role(rootKeys, rootThreshold),
        targets: role([targetsKey], 1),
        snapshot: role([snapshotKey, snapshotEcdsa], 1),
        timestamp: role([timestampKey], 1),
      },
    });
  }
  const root1 = new Metadata(rootVersion(1, [rootA], 1));
  signWith(root1, [rootA]);
  selfCheck(root1, 'root', root1);

  const root2 = new Metadata(rootVersion(2, [rootB, rootC], 2));
  signWith(root2, [rootA, rootB, rootC]);
  selfCheck(root1, 'root', root2);
  selfCheck(root2, 'root', root2);

  // Target files.
  const plugins = Buffer.from(
    JSON.stringify({ plugins: [{ name: 'nginx', version: '1.26.2' }], note: 'jail plugins \u2713' }, null, 2) + '\n',
    'utf8');
  const base = crypto.randomBytes(4096 + 123); // stands in for a FreeBSD base.txz
  const targetFiles = [
    { path: 'plugins/index.json', bytes: plugins, role: 'targets' },
    { path: 'releases/14.2-RELEASE/amd64/base.txz', bytes: base, role: 'releases' },
  ];
  for (const t of targetFiles) {
    t.sha256 = sha256(t.bytes);
    const dir = path.posix.dirname(t.path);
    const name = path.posix.basename(t.path);
    write(path.join(targetsDir, ...dir.split('/'), `${t.sha256}.${name}`), t.bytes);
  }

  // Delegated role "releases".
  const releases = new Metadata(
    new Targets({ version: 1, specVersion: SPEC_VERSION, expires }));
  const baseTarget = targetFiles[1];
  releases.signed.addTarget(
    new TargetFile({
      path: baseTarget.path,
      length: baseTarget.bytes.length,
      hashes: { sha256: baseTarget.sha256, sha512: sha512(baseTarget.bytes) },
      unrecognizedFields: { custom: { freebsd: { release: '14.2-RELEASE', arch: 'amd64' } } },
    }));
  signWith(releases, [releasesKey]);

  // Top-level targets, with an unknown field in "signed" that the signatures cover.
  const pluginsTarget = targetFiles[0];
  const delegations = new Delegations({
    keys: { [releasesKey.keyID]: releasesKey.key },
    roles: {
      releases: new DelegatedRole({
        name: 'releases',
        keyIDs: [releasesKey.keyID],
        threshold: 1,
        terminating: true,
        paths: ['releases/*/*/*'],
      }),
    },
  });
  const targets = new Metadata(
    new Targets({
      version: 1,
      specVersion: SPEC_VERSION,
      expires,
      delegations,
      unrecognizedFields: { x_warder_interop: { generator: '@tufjs/models', note: 'caf\u00e9' } },
    }));
  targets.signed.addTarget(
    new TargetFile({
      path: pluginsTarget.path,
      length: pluginsTarget.bytes.length,
      hashes: { sha256: pluginsTarget.sha256 },
    }));
  signWith(targets, [targetsKey]);
  selfCheck(root2, 'targets', targets);
  selfCheck(targets, 'releases', releases);

  const targetsBytes = serialize(targets);
  const releasesBytes = serialize(releases);

  // Snapshot v2 (as after a second publication), signed by both snapshot keys.
  const snapshot = new Metadata(
    new Snapshot({
      version: 2,
      specVersion: SPEC_VERSION,
      expires,
      meta: {
        'targets.json': new MetaFile({
          version: 1,
          length: targetsBytes.length,
          hashes: { sha256: sha256(targetsBytes) },
        }),
        'releases.json': new MetaFile({
          version: 1,
          length: releasesBytes.length,
          hashes: { sha256: sha256(releasesBytes) },
        }),
      },
    }));
  signWith(snapshot, [snapshotKey, snapshotEcdsa]);
  selfCheck(root2, 'snapshot', snapshot);
  const snapshotBytes = serialize(snapshot);

  const timestamp = new Metadata(
    new Timestamp({
      version: 3,
      specVersion: SPEC_VERSION,
      expires,
      snapshotMeta: new MetaFile({
        version: 2,
        length: snapshotBytes.length,
        hashes: { sha256: sha256(snapshotBytes) },
      }),
    }));
  signWith(timestamp, [timestampKey]);
  selfCheck(root2, 'timestamp', timestamp);

  const root1Bytes = serialize(root1);
  write(path.join(metadataDir, '1.root.json'), root1Bytes);
  write(path.join(metadataDir, '2.root.json'), serialize(root2));
  write(path.join(metadataDir, '1.targets.json'), targetsBytes);
  write(path.join(metadataDir, '1.releases.json'), releasesBytes);
  write(path.join(metadataDir, '2.snapshot.json'), snapshotBytes);
  write(path.join(metadataDir, 'timestamp.json'), serialize(timestamp));
  write(path.join(out, 'trusted-root.json'), root1Bytes);

  const modelsVersion = require('@tufjs/models/package.json').version;
  const expected = {
    generator: `@tufjs/models ${modelsVersion}`,
    expires,
    versions: { root: 2, timestamp: 3, snapshot: 2, targets: 1, releases: 1 },
    keyids: {
      root1: [rootA.keyID],
      root2: [rootB.keyID, rootC.keyID],
      targets: [targetsKey.keyID],
      snapshot: [snapshotKey.keyID, snapshotEcdsa.keyID],
      snapshotEcdsa: snapshotEcdsa.keyID,
      timestamp: [timestampKey.keyID],
      releases: [releasesKey.keyID],
    },
    targets: Object.fromEntries(
      targetFiles.map((t) => [t.path, { sha256: t.sha256, length: t.bytes.length, role: t.role }])),
  };
  write(path.join(out, 'expected.json'), Buffer.from(JSON.stringify(expected, null, 2) + '\n', 'utf8'));
}

main();
