import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { registerProcessSignals } from './processSignals';

const fixture = resolve(__dirname, '__fixtures__/signalBackend.ts');

/** Starts the fixture backend, sends `signal` once it started, returns its output and exit code. */
function runUntilSignal(mode: string, signal: NodeJS.Signals | undefined, waitFor = 'started') {
  return new Promise<{ code: number | null; lines: string[] }>((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', fixture, mode],
      {
        cwd: resolve(__dirname, '../../..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    let sent = false;
    child.stdout.on('data', chunk => {
      out += chunk;
      if (!sent && out.includes(waitFor)) {
        sent = true;
        if (signal) {
          child.kill(signal);
          child.kill(signal);
        }
      }
    });
    child.stderr.on('data', chunk => (err += chunk));
    child.on('error', fail);
    child.on('exit', code => {
      if (!sent) {
        fail(new Error(`fixture exited before '${waitFor}': ${out}${err}`));
        return;
      }
      done({ code, lines: out.trim().split('\n') });
    });
  });
}

describe('processSignals', () => {
  it('should stop the backend once on SIGTERM and exit 0', async () => {
    const { code, lines } = await runUntilSignal('ok', 'SIGTERM');

    expect(code).toBe(0);
    expect(lines).toEqual([
      'root startup',
      'log info: Plugin started ',
      'log info: Backend started ',
      'started',
      'log info: Received signal; stopping the backend SIGTERM',
      'root beforeShutdown',
      'example shutdown hook',
      'root shutdown',
    ]);
  });

  it('should stop on SIGINT and exit 1 when stopping failed', async () => {
    const { code, lines } = await runUntilSignal('failing-stop', 'SIGINT');

    expect(code).toBe(1);
    expect(lines.at(-1)).toBe(
      'log error: Backend stop failed: BACKPLANE_SHUTDOWN_FAILED: Stopping the backend failed in 1 step(s): Error: could not close. Every other shutdown step still ran; fix the lifecycle service or hook named above.',
    );
  });

  it('should log unhandled promise rejections on the root logger and keep running', async () => {
    const { code, lines } = await runUntilSignal('rejection', 'SIGTERM', 'still running');

    expect(lines).toContain(
      'log error: Unhandled promise rejection: nobody caught me (fix: await the promise or add a .catch() where it is made (the stack shows where). One from an async route handler on an Express 4 router also left its request without a response: use express-promise-router or call next(error) (see docs/services/http.md).)',
    );
    expect(code).toBe(0);
  });
});

describe('processSignals with a plugin init that never finishes', () => {
  it('should name the plugin, ignore a repeat at once, and exit 1 at a signal a second later', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', fixture, 'stuck-init'],
      { cwd: resolve(__dirname, '../../..'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', chunk => {
      const before = out;
      out += chunk;
      if (!before.includes('stuck init began') && out.includes('stuck init began')) {
        // Twice at once, as Ctrl-C under a watcher delivers it: still one stop.
        child.kill('SIGTERM');
        child.kill('SIGTERM');
      }
      if (!before.includes('log warn: Waiting') && out.includes('log warn: Waiting')) {
        setTimeout(() => child.kill('SIGINT'), 1200);
      }
    });
    const code = await new Promise<number | null>(done => child.on('exit', done));
    const lines = out.trim().split('\n');

    expect(lines).toContain(
      'log warn: Waiting for plugins still starting before the backend stops stuck',
    );
    expect(lines.at(-1)).toBe(
      'log error: Received a second signal while stopping; exiting without waiting: stuck',
    );
    expect(lines.filter(line => line.startsWith('log info: Received signal'))).toHaveLength(1);
    expect(code).toBe(1);
  });
});

describe('registerProcessSignals', () => {
  it('should keep its signal listeners while a stop it started is running', async () => {
    const before = process.listeners('SIGTERM');
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    let stops = 0;
    let unregister = () => {};
    unregister = registerProcessSignals({
      logger: () => undefined,
      stop: async () => {
        stops += 1;
        // The backend unregisters itself at the end of its stop, before the process exits.
        unregister();
      },
    });
    try {
      process.emit('SIGTERM', 'SIGTERM');
      await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0));

      // A second SIGTERM from an impatient supervisor must not meet the default action (death).
      expect(process.listenerCount('SIGTERM')).toBe(before.length + 1);
      process.emit('SIGTERM', 'SIGTERM');
      expect(stops).toBe(1);
    } finally {
      exit.mockRestore();
      for (const signal of ['SIGTERM', 'SIGINT', 'unhandledRejection'] as const) {
        const added = process.listeners(signal as 'SIGTERM');
        for (const listener of added.filter(l => !before.includes(l))) {
          process.off(signal, listener);
        }
      }
    }
  });
});
