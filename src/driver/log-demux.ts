/**
 * Docker's multiplexed log format: frames of an 8-byte header (stream type, 3 zero bytes,
 * big-endian length) followed by the payload. Yields complete lines per stream.
 */
import type { LogLine } from '../domain/engine-port.js';

const STREAMS: Record<number, LogLine['stream']> = { 1: 'stdout', 2: 'stderr' };

export async function* demuxLogLines(
  chunks: AsyncIterable<Buffer | string>,
  timestamps: boolean,
): AsyncGenerator<LogLine> {
  let pending = Buffer.alloc(0);
  const partial: Record<LogLine['stream'], string> = { stdout: '', stderr: '' };
  const toLine = (stream: LogLine['stream'], raw: string): LogLine => {
    if (!timestamps) return { stream, text: raw };
    const space = raw.indexOf(' ');
    return space > 0
      ? { stream, timestamp: raw.slice(0, space), text: raw.slice(space + 1) }
      : { stream, text: raw };
  };
  for await (const chunk of chunks) {
    pending = Buffer.concat([pending, typeof chunk === 'string' ? Buffer.from(chunk) : chunk]);
    while (pending.length >= 8) {
      const stream = STREAMS[pending[0] ?? 0];
      const size = pending.readUInt32BE(4);
      if (!stream || pending.length < 8 + size) break;
      const text = partial[stream] + pending.subarray(8, 8 + size).toString('utf8');
      pending = pending.subarray(8 + size);
      const lines = text.split('\n');
      partial[stream] = lines.pop() ?? '';
      for (const line of lines) yield toLine(stream, line);
    }
  }
  for (const stream of ['stdout', 'stderr'] as const) {
    if (partial[stream]) yield toLine(stream, partial[stream]);
  }
}
