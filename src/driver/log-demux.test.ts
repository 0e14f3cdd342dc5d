import { describe, expect, it } from 'vitest';
import { demuxLogLines } from './log-demux.js';

function frame(stream: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

async function collect(chunks: Buffer[], timestamps = false) {
  const lines = [];
  for await (const line of demuxLogLines(
    (async function* () {
      yield* chunks;
    })(),
    timestamps,
  ))
    lines.push(line);
  return lines;
}

describe('demuxLogLines', () => {
  it('splits frames into lines per stream, across chunk boundaries', async () => {
    const bytes = Buffer.concat([
      frame(1, 'hello\nwor'),
      frame(2, 'oops\n'),
      frame(1, 'ld\n'),
      frame(1, 'tail'),
    ]);
    const chunks = [bytes.subarray(0, 5), bytes.subarray(5, 17), bytes.subarray(17)];
    expect(await collect(chunks)).toEqual([
      { stream: 'stdout', text: 'hello' },
      { stream: 'stderr', text: 'oops' },
      { stream: 'stdout', text: 'world' },
      { stream: 'stdout', text: 'tail' },
    ]);
  });

  it('separates timestamps', async () => {
    expect(await collect([frame(1, '2026-11-26T10:00:00.123456789Z started\n')], true)).toEqual([
      { stream: 'stdout', timestamp: '2026-11-26T10:00:00.123456789Z', text: 'started' },
    ]);
  });
});
