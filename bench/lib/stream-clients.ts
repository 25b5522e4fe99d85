// The far side of the streams-memory benchmark, in its own process so that the measured
// process holds nothing but the session handler: the WAHA simulator, and raw TCP clients
// that open SSE streams (and can stop reading them, like a paused browser tab). Driven
// over IPC by bench/streams-memory.ts; every socket is on 127.0.0.1.
import { connect, type Socket } from 'node:net';
import { createWahaSimulator } from '@whatsapp-connector/waha-simulator';

/** Commands the benchmark sends. */
export type ClientsCommand =
  | { readonly cmd: 'open'; readonly url: string; readonly orgs: readonly string[] }
  | { readonly cmd: 'pause' }
  | { readonly cmd: 'closeAll' }
  | { readonly cmd: 'exit' };

/** Messages back to the benchmark. */
export type ClientsMessage =
  | { readonly type: 'sim'; readonly url: string }
  | { readonly type: 'opened'; readonly open: number; readonly refused: number }
  | { readonly type: 'done' }
  | { readonly type: 'error'; readonly message: string };

// Sessions stay STARTING: nothing changes on WAHA's side during the measurement.
const API_KEY = 'bench-streams-key'; // the handler's, in bench/streams-memory.ts
const sim = createWahaSimulator({ profile: 'fast', apiKey: API_KEY, timings: { startingMs: 3_600_000 } });
let sockets: Socket[] = [];

function send(message: ClientsMessage): void {
  process.send?.(message);
}

/** Opens one stream; resolves with its status line's code once the headers arrived. */
function openStream(url: URL, org: string): Promise<{ socket: Socket; status: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      socket.on('data', () => {}); // keep reading, like EventSource
      resolve({ socket, status: Number(head.slice(9, 12)) });
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(`GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nx-org: ${org}\r\naccept: text/event-stream\r\n\r\n`);
  });
}

process.on('message', (command: ClientsCommand) => {
  void (async () => {
    try {
      switch (command.cmd) {
        case 'open': {
          const url = new URL(command.url);
          let refused = 0;
          // A few at a time: the server's WAHA reads are what the opening costs.
          for (let i = 0; i < command.orgs.length; i += 25) {
            const batch = await Promise.all(command.orgs.slice(i, i + 25).map((org) => openStream(url, org)));
            for (const { socket, status } of batch) {
              if (status === 200) sockets.push(socket);
              else {
                refused++;
                socket.destroy();
              }
            }
          }
          send({ type: 'opened', open: sockets.length, refused });
          break;
        }
        case 'pause':
          for (const socket of sockets) socket.pause();
          send({ type: 'done' });
          break;
        case 'closeAll':
          for (const socket of sockets) socket.destroy();
          sockets = [];
          send({ type: 'done' });
          break;
        case 'exit':
          for (const socket of sockets) socket.destroy();
          await sim.close();
          process.exit(0);
      }
    } catch (error) {
      send({ type: 'error', message: String(error) });
    }
  })();
});

send({ type: 'sim', url: await sim.listen(0, '127.0.0.1') });
