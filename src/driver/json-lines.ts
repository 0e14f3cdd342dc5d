/**
 * Reads newline-delimited JSON (image pull progress, engine events) from a stream whose
 * chunks may split lines anywhere. `onChunk` runs for every chunk received, e.g. to reset
 * an idle timer.
 */
export async function* readJsonLines<T>(
  stream: AsyncIterable<Buffer>,
  onChunk?: () => void,
): AsyncGenerator<T> {
  let buffered = '';
  for await (const chunk of stream) {
    onChunk?.();
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) yield JSON.parse(line) as T;
  }
}
