// JSON text from outside (HTTP bodies, files, cursors) that may not be JSON at all: the caller
// gets undefined and words its own error, instead of a SyntaxError from deep inside.
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}
