import { createInterface } from 'node:readline/promises';

/** Asks one question and reads one line; a closed terminal (Ctrl-D) answers '' — a no. */
export async function ask(input: NodeJS.ReadableStream, question: string): Promise<string> {
  const rl = createInterface({ input, output: process.stdout, terminal: false });
  try {
    process.stdout.write(question);
    return await new Promise<string>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(''));
    });
  } finally {
    rl.close();
  }
}
