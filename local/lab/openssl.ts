import { spawn } from 'node:child_process';

// The labs' one way to run openssl (the Kubernetes lab's TLS certificate, APIC users'
// certificates): its stderr kept for the error, and `fail` naming what the lab needed it for.

export function runOpenssl(args: readonly string[], fail: (problem: string) => Error): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => reject(fail(`openssl could not start: ${err.message}`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(fail(`openssl exited ${code}: ${stderr.trim()}`))));
  });
}
