import { Worker } from 'node:worker_threads';

/** A server address to probe. */
export interface ProbeTarget {
  host: string;
  port: number;
}

// Runs in a worker thread: connects to every target and reports 1 (open) or 2 (closed) per slot.
const PROBE_SOURCE = `
const { workerData } = require('node:worker_threads');
const net = require('node:net');
const flags = new Int32Array(workerData.buffer);
workerData.targets.forEach((target, index) => {
  let settled = false;
  const socket = net.connect({ host: target.host, port: target.port });
  const finish = open => {
    if (settled) return;
    settled = true;
    socket.destroy();
    Atomics.store(flags, index + 1, open ? 1 : 2);
    Atomics.add(flags, 0, 1);
    Atomics.notify(flags, 0);
  };
  socket.setTimeout(workerData.timeoutMs, () => finish(false));
  socket.once('connect', () => finish(true));
  socket.once('error', () => finish(false));
});
`;

/**
 * Tells, synchronously, which targets accept TCP connections. Test files decide which database
 * ids to run while they are being collected, before any async hook runs, so the check blocks on
 * a short-lived worker thread. A target that has not answered after `timeoutMs` counts as closed.
 */
export function probeTcpSync(targets: ProbeTarget[], timeoutMs = 1000): boolean[] {
  if (targets.length === 0) {
    return [];
  }
  const flags = new Int32Array(new SharedArrayBuffer(4 * (targets.length + 1)));
  const worker = new Worker(PROBE_SOURCE, {
    eval: true,
    workerData: { buffer: flags.buffer, targets, timeoutMs },
  });
  worker.unref();

  const deadline = Date.now() + timeoutMs + 2000;
  let answered = Atomics.load(flags, 0);
  while (answered < targets.length && Date.now() < deadline) {
    Atomics.wait(flags, 0, answered, Math.max(1, deadline - Date.now()));
    answered = Atomics.load(flags, 0);
  }
  void worker.terminate();
  return targets.map((_, index) => Atomics.load(flags, index + 1) === 1);
}
