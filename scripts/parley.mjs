#!/usr/bin/env node
// The two commands of the README, on a machine with only Node 20+ and npm:
//   npm start  -> install what is missing, generate, build, run Parley
//   npm test   -> the same preparation, then typecheck and every test
// Each step keeps a hash of its inputs and is skipped when nothing changed, so
// second runs start in a second or two. Uses nothing but Node's own modules.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PNPM_VERSION = '10.34.8';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = path.join(root, '.tools', `pnpm-${PNPM_VERSION}`);
const pnpmCli = path.join(toolsDir, 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');

function say(text) {
  console.log(`\x1b[36m[parley]\x1b[0m ${text}`);
}

function fail(text) {
  console.error(`\x1b[31m[parley]\x1b[0m ${text}`);
  process.exit(1);
}

function run(command, args, options = {}) {
  const res = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options, env: { ...process.env, ...options.env } });
  if (res.error) fail(`${command} ${args.join(' ')} could not run: ${res.error.message}`);
  if (res.status !== 0) fail(`${path.basename(command)} ${args.join(' ')} failed (exit ${res.status ?? res.signal}).`);
}

function pnpm(args, options) {
  run(process.execPath, [pnpmCli, ...args], options);
}

/** sha256 over the given files and directories (recursively, sorted; missing ones count as absent). */
function hashInputs(paths) {
  const hash = createHash('sha256');
  const visit = (p) => {
    if (!existsSync(p)) return hash.update(`missing:${p}\n`);
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
        visit(path.join(p, name));
      }
    } else {
      hash.update(`file:${path.relative(root, p)}\n`).update(readFileSync(p));
    }
  };
  for (const p of paths) visit(path.join(root, p));
  return hash.update(process.version).digest('hex');
}

/** Runs `action` unless the stamp file already holds the hash of `inputs`. */
function step(name, stampFile, inputs, action) {
  const stamp = path.join(root, stampFile);
  const hash = hashInputs(inputs);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
  say(name);
  const started = Date.now();
  action();
  mkdirSync(path.dirname(stamp), { recursive: true });
  writeFileSync(stamp, hash);
  say(`${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function ensurePnpm() {
  if (existsSync(pnpmCli)) return;
  say(`installing pnpm ${PNPM_VERSION} into .tools/ (once)`);
  mkdirSync(toolsDir, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  run(npm, ['install', '--prefix', toolsDir, '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', `pnpm@${PNPM_VERSION}`]);
}

function prepare({ web = true } = {}) {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) fail(`Parley needs Node.js 20 or newer (this is ${process.version}).`);
  ensurePnpm();
  step('installing dependencies', 'node_modules/.parley/install.hash',
    ['pnpm-lock.yaml', 'pnpm-workspace.yaml', 'package.json', 'server/package.json', 'web/package.json', 'test/package.json'],
    () => pnpm(['install', '--frozen-lockfile', '--prefer-offline', '--reporter=append-only']));
  step('generating the Prisma client', 'server/src/generated/.parley.hash',
    ['prisma/schema.prisma', 'server/package.json', 'pnpm-lock.yaml'],
    // Nothing runs the schema engine during generate, but the CLI wants a path
    // to one and would otherwise try to download it.
    () => pnpm(['--filter', '@parley/server', 'exec', 'prisma', 'generate'], { env: { PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' } }));
  if (web) {
    step('building the web inbox', 'web/dist/.parley.hash',
      ['web/src', 'web/public', 'web/index.html', 'web/vite.config.ts', 'web/package.json', 'pnpm-lock.yaml'],
      () => pnpm(['--filter', '@parley/web', 'build']));
  }
}

/** Runs the server in the foreground; Ctrl-C and SIGTERM reach it and it shuts down gracefully. */
function serve(extraArgs) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...extraArgs], {
    cwd: path.join(root, 'server'),
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'production' },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    // A terminal's Ctrl-C reaches the child directly; forward what only we got.
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const [command = 'start', ...rest] = process.argv.slice(2);
if (command === 'start') {
  prepare();
  serve(rest);
} else if (command === 'test') {
  // Found before minutes of preparation and tests, not after (test/helpers/browser.ts uses the same places).
  const chromium = process.env.CHROMIUM_PATH || ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'].find((p) => existsSync(p));
  if (!chromium || !existsSync(chromium)) {
    fail('the browser tests need Chromium: install it with `sudo apt-get install -y chromium` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary.');
  }
  prepare();
  say('typechecking server, web and tests');
  pnpm(['-r', '--workspace-concurrency=1', 'typecheck']);
  pnpm(['--filter', '@parley/test', 'exec', 'vitest', 'run', ...rest], { env: { CI: process.env.CI ?? '' } });
} else if (command === 'typecheck') {
  prepare({ web: false });
  pnpm(['-r', '--workspace-concurrency=1', 'typecheck']);
} else if (command === 'codegen') {
  prepare({ web: false });
  pnpm(['exec', 'graphql-codegen', '--config', 'codegen.ts', ...rest]);
} else if (command === 'migration:new' || command === 'migrate') {
  prepare({ web: false });
  const action = command === 'migrate' ? 'deploy' : 'new';
  pnpm(['--filter', '@parley/server', 'exec', 'tsx', 'src/db/migrations-cli.ts', action, ...rest]);
  if (command === 'migration:new') say('regenerate the Prisma client: it happens on the next start, test or typecheck');
} else if (command === 'rotate-key') {
  prepare({ web: false });
  pnpm(['--filter', '@parley/server', 'exec', 'tsx', 'src/security/rotate-cli.ts', ...rest]);
} else if (command === 'bench') {
  prepare();
  pnpm(['--filter', '@parley/test', 'exec', 'tsx', '../bench/run.ts', ...rest]);
} else if (command === 'dev') {
  prepare({ web: false });
  const api = spawn(process.execPath, ['--import', 'tsx', '--watch', 'src/main.ts'], { cwd: path.join(root, 'server'), stdio: 'inherit' });
  const web = spawn(process.execPath, [pnpmCli, '--filter', '@parley/web', 'dev'], { cwd: root, stdio: 'inherit' });
  const stop = () => {
    api.kill('SIGTERM');
    web.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} else {
  fail(`unknown command "${command}" (use start, test, dev, typecheck, codegen, migration:new, migrate, rotate-key or bench)`);
}
