// Starts a real nimbus on a free port for the JavaScript SDK v3 tests and stops it after.
import { spawn } from 'node:child_process';
import net from 'node:net';

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export async function startNimbus(extraArgs = []) {
  const bin = process.env.NIMBUS_BIN;
  if (!bin) throw new Error('NIMBUS_BIN is not set');
  const port = await freePort();
  const proc = spawn(bin, ['serve', '--port', String(port), '--in-memory', '--log-level', 'warn', ...extraArgs],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`${endpoint}/_nimbus/health`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    endpoint,
    stderr: () => stderr,
    stop: async () => {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
    },
  };
}
