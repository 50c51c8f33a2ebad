// A raw Server-Sent Events client for tests: reads /api/events over plain HTTP so a test can see exactly when
// the server ends the stream, or stop reading altogether.
import http from 'node:http';

export interface RawStream {
  status: number;
  /** Resolves when the server ends or drops the stream. */
  ended: Promise<void>;
  received(): number;
  text(): string;
  /** Stops reading (the socket's receive buffer then fills up) or resumes. */
  pause(): void;
  resume(): void;
  close(): void;
}

export function openEvents(url: string, headers: Record<string, string>): Promise<RawStream> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/api/events`, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      let bytes = 0;
      let body = '';
      const ended = new Promise<void>((done) => {
        res.on('end', done);
        res.on('close', done);
        res.on('error', () => done());
      });
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (body.length < 100_000) body += chunk.toString('utf8');
      });
      resolve({
        status: res.statusCode ?? 0,
        ended,
        received: () => bytes,
        text: () => body,
        pause: () => res.pause(),
        resume: () => res.resume(),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}
