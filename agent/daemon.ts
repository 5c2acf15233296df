import { loadAgentConfig } from './config.js';
import { startAgent } from './start-agent.js';

// The agent as a long-running process, shared by `changeflow agent` and the built
// dist/agent/changeflow-agent.mjs: load the config, start, stop cleanly on SIGTERM/SIGINT
// (systemd's KillSignal) and exit 0 once every running task has been failed with AgentShutdown.

/**
 * Runs until a stop signal; resolves false when the config could not start the agent (a bad
 * file, a missing secret, an unreadable kubeconfig: one line on stderr, the caller exits 3).
 */
export async function runAgentUntilStopped(configPath: string, stderr: NodeJS.WritableStream = process.stderr): Promise<boolean> {
  let agent;
  try {
    agent = await startAgent(await loadAgentConfig(configPath));
  } catch (err) {
    stderr.write(`changeflow agent: ${(err as Error).message}\n`);
    return false;
  }
  const running = agent;
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      stderr.write(`${JSON.stringify({ level: 'info', message: `received ${signal}, stopping` })}\n`);
      // Open sockets (kube client keep-alive) must not keep a stopped daemon alive.
      void running.stop().then(() => {
        resolve();
        process.exit(0);
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return true;
}
