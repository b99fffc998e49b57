import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from './sse-parser.js';

describe('SseParser', () => {
  it('parses events split at any byte, with comments, CRLF and multi-line data', () => {
    const stream = 'retry: 2000\n\n: keepalive\n\nevent: state\ndata: {"a":1}\n\r\nevent: state\r\ndata: line1\r\ndata: line2\r\n\r\ndata: plain\n\n';
    for (let split = 1; split < stream.length; split++) {
      const events: SseEvent[] = [];
      const parser = new SseParser((e) => events.push(e));
      parser.push(stream.slice(0, split));
      parser.push(stream.slice(split));
      expect(events, `split at ${split}`).toEqual([
        { event: 'state', data: '{"a":1}' },
        { event: 'state', data: 'line1\nline2' },
        { event: 'message', data: 'plain' },
      ]);
    }
  });

  it('does not dispatch an event until its blank line arrives', () => {
    const events: SseEvent[] = [];
    const parser = new SseParser((e) => events.push(e));
    parser.push('event: state\ndata: x\n');
    expect(events).toEqual([]);
    parser.push('\n');
    expect(events).toHaveLength(1);
  });
});
