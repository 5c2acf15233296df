import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

// dynalite in a child process (in memory): the table gets its own core, as DynamoDB is its own
// service, so a benchmark measures changeflow rather than dynalite sharing its event loop.

export interface DynaliteProcess {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export async function startDynaliteProcess(): Promise<DynaliteProcess> {
  const script =
    "const s=require('dynalite')({createTableMs:0});s.listen(0,'127.0.0.1',()=>console.log(s.address().port));" +
    "process.on('SIGTERM',()=>{s.closeAllConnections();s.close(()=>process.exit(0));});";
  const child = spawn(process.execPath, ['-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const [port] = (await once(lines, 'line')) as [string];
  return {
    endpoint: `http://127.0.0.1:${port.trim()}`,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
