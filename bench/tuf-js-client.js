#!/usr/bin/env node
// tuf-js, the npm TUF client, behind the arguments of `warder tuf` (the tuf-conformance client CLI),
// for bench/tuf-client.sh: options first, then one of
//   init TRUSTED_ROOT_FILE   copy the root into --metadata-dir (tuf-js checks it is self-signed)
//   refresh                  update root, timestamp, snapshot and targets
//   download                 refresh, then each --target-name into --target-dir, unless cached
// Needs `tuf-js` on NODE_PATH. Exit status 0 on success, 1 with a one-line reason on stderr.
'use strict';
const fs = require('fs');
const path = require('path');
const { Updater } = require('tuf-js');

function parse(argv) {
  const options = { targetNames: [] };
  const names = {
    '--metadata-dir': 'metadataDir',
    '--metadata-url': 'metadataUrl',
    '--target-base-url': 'targetBaseUrl',
    '--target-dir': 'targetDir',
  };
  let i = 0;
  for (; i < argv.length && argv[i].startsWith('--'); i += 2) {
    if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`);
    if (argv[i] === '--target-name') options.targetNames.push(argv[i + 1]);
    else if (names[argv[i]]) options[names[argv[i]]] = argv[i + 1];
    else throw new Error(`unknown option ${argv[i]}`);
  }
  options.command = argv.slice(i);
  if (!options.metadataDir) throw new Error('--metadata-dir is required');
  return options;
}

function required(options, name, flag) {
  if (!options[name]) throw new Error(`${flag} is required`);
  return options[name];
}

function updater(options) {
  return new Updater({
    metadataDir: options.metadataDir,
    metadataBaseUrl: required(options, 'metadataUrl', '--metadata-url'),
    targetDir: options.targetDir,
    targetBaseUrl: options.targetBaseUrl,
  });
}

async function main(argv) {
  const options = parse(argv);
  const [command, ...rest] = options.command;
  switch (command) {
    case 'init': {
      if (rest.length !== 1) throw new Error('init needs TRUSTED_ROOT_FILE');
      fs.mkdirSync(options.metadataDir, { recursive: true });
      fs.copyFileSync(rest[0], path.join(options.metadataDir, 'root.json'));
      // The constructor loads the root into its trusted set, which checks its signatures.
      new Updater({ metadataDir: options.metadataDir, metadataBaseUrl: 'http://127.0.0.1/' });
      return;
    }
    case 'refresh':
      await updater(options).refresh();
      return;
    case 'download': {
      if (options.targetNames.length === 0) throw new Error('download needs a --target-name');
      const base = required(options, 'targetBaseUrl', '--target-base-url');
      const dir = required(options, 'targetDir', '--target-dir');
      fs.mkdirSync(dir, { recursive: true });
      const client = updater(options);
      await client.refresh();
      for (const name of options.targetNames) {
        const info = await client.getTargetInfo(name);
        if (!info) throw new Error(`${name}: no role describes this target`);
        const file = path.join(dir, encodeURIComponent(name));
        if (!(await client.findCachedTarget(info, file))) {
          await client.downloadTarget(info, file, base);
        }
      }
      return;
    }
    default:
      throw new Error(`expected init, refresh or download, found ${command}`);
  }
}

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(`tuf-js-client: ${e.message}\n`);
  process.exit(1);
});
