// The real entry point (`src/main.ts`) as a child process, the way `npm start` runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const serverDir = path.resolve(import.meta.dirname, '../../server');

export interface MainProcess {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** The URL it prints once it serves; rejects if it exits first. */
  url: Promise<string>;
}

/** Starts the server on loopback with a random port; `env` is added to this process's environment. */
export function spawnMain(env: Record<string, string>): MainProcess {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
  });
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Parley is running at (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code, signal) => reject(new Error(`main exited (${code ?? signal}) before serving:\n${out}`)));
  });
  // A caller that never awaits `url` (it kills the child first) must not see an unhandled rejection.
  url.catch(() => undefined);
  return { child, output: () => out, url };
}
