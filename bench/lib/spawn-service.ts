/**
 * The service as users run it: the `start` script of package.json (`node … bin/hirepulse.js
 * serve`), run with this Node but without npm around it, in a child process, with the compiled
 * dist/. Times the start until /healthz answers and reads the child's resident memory from /proc
 * (Linux; elsewhere `ps`).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The arguments `npm start` gives node, read from package.json so that the benchmark follows it. */
export function startScriptArgs(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const [command, ...args] = pkg.scripts.start.trim().split(/\s+/);
  if (command !== 'node' || args.some((a) => /[$&|;<>'"`]/.test(a))) {
    throw new Error(`the start script is not a plain \`node …\` command: ${pkg.scripts.start}`);
  }
  return args;
}

export interface RunningService {
  child: ChildProcess;
  baseUrl: string;
  /** From spawn to the first 200 of /healthz. */
  startSeconds: number;
  /** CPU time (user + system, all threads) the child used until then; NaN where unknown. On a busy machine it holds up better than startSeconds. */
  startCpuSeconds: number;
  /** Resident memory of the child now, in bytes. */
  rss(): number;
  /** The highest resident memory the child has had (VmHWM), in bytes; NaN where unknown. */
  peakRss(): number;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A port free right now (the child is told to listen on it, so /healthz can be polled from the spawn on). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let clockTicks: number | undefined;

/** User + system CPU seconds of a process so far, from /proc/<pid>/stat (Linux); NaN elsewhere. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // the name may hold spaces
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    return (Number(fields[11]) + Number(fields[12])) / clockTicks; // utime, stime
  } catch {
    return NaN;
  }
}

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // not Linux
  }
  if (field === 'VmHWM') return NaN;
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the service with exactly env (plus PATH/HOME) and waits until /healthz answers 200. */
export async function startService(env: Record<string, string>, timeoutSeconds = 120): Promise<RunningService> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, startScriptArgs(), {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));

  for (;;) {
    if (exitCode !== undefined) throw new Error(`the service exited (${exitCode}) before answering /healthz: ${stderr.trim()}`);
    if ((performance.now() - started) / 1000 > timeoutSeconds) {
      child.kill('SIGKILL');
      throw new Error(`the service did not answer /healthz within ${timeoutSeconds} s: ${stderr.trim()}`);
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(10);
  }
  const startSeconds = (performance.now() - started) / 1000;
  const pid = child.pid!;
  return {
    child,
    baseUrl,
    startSeconds,
    startCpuSeconds: cpuSeconds(pid),
    rss: () => statusField(pid, 'VmRSS'),
    peakRss: () => statusField(pid, 'VmHWM'),
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (exitCode === undefined) child.kill(signal);
      return exited;
    },
  };
}

/** Samples a child's resident memory every intervalMs until stopped; returns the peak in bytes. */
export function sampleChildRss(service: RunningService, intervalMs = 50): { stop(): number } {
  let peak = service.rss();
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, service.rss());
    } catch {
      // exited
    }
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, service.rss());
    },
  };
}
