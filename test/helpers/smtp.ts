/**
 * Real SMTP servers for the tests (the smtp-server package on a random loopback port), with
 * the behaviours the sender must survive. STARTTLS uses smtp-server's built-in self-signed
 * localhost certificate (a test-only fixture it ships), so the client is told not to verify it
 * (`?tls.rejectUnauthorized=false`); the tests check the session really was encrypted.
 */
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export type Behaviour =
  | 'accept'
  /** Reads part of the message data, then closes the connection. */
  | 'drop-mid-data'
  /** 451 after the data: try again later. */
  | 'reply-4xx'
  /** 550 after the data: refused for good. */
  | 'reply-5xx'
  /** Takes the whole message, then never answers (until released). */
  | 'hold-after-data'
  /** Never answers the authentication (until released). */
  | 'hold-auth';

export interface ReceivedMessage {
  raw: Buffer;
  from: string;
  to: string[];
  secure: boolean;
  user: string | undefined;
}

export interface TestSmtpServer {
  port: number;
  /** SMTP_URL for this server. */
  url: string;
  received: ReceivedMessage[];
  /** Messages whose data arrived completely, whatever the answer was. */
  dataCompleted: number;
  authAttempts: number;
  behaviour: Behaviour;
  /** Resolves the next time the server is holding (for hold-* behaviours). */
  holding(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestSmtpServer(opts: { behaviour?: Behaviour; auth?: boolean; starttls?: boolean } = {}): Promise<TestSmtpServer> {
  const auth = opts.auth ?? true;
  const starttls = opts.starttls ?? false;
  let holdWaiters: (() => void)[] = [];
  const state: TestSmtpServer = {
    port: 0,
    url: '',
    received: [],
    dataCompleted: 0,
    authAttempts: 0,
    behaviour: opts.behaviour ?? 'accept',
    holding: () => new Promise<void>((resolve) => holdWaiters.push(resolve)),
    close: async () => {},
  };
  const hold = () => {
    for (const w of holdWaiters) w();
    holdWaiters = [];
  };
  const server = new SMTPServer({
    secure: false,
    disabledCommands: [...(auth ? [] : ['AUTH']), ...(starttls ? [] : ['STARTTLS'])],
    authOptional: !auth,
    allowInsecureAuth: !starttls,
    hideSTARTTLS: !starttls,
    logger: false,
    onAuth(a, _session, callback) {
      state.authAttempts += 1;
      if (state.behaviour === 'hold-auth') {
        hold();
        return; // never answers
      }
      if (a.username === 'ada' && a.password === 's3cret pass') return callback(null, { user: a.username });
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (state.behaviour === 'drop-mid-data' && size > 200) socketOf(session.id)?.destroy();
      });
      stream.on('end', () => {
        if (state.behaviour === 'drop-mid-data') return;
        state.dataCompleted += 1;
        const raw = Buffer.concat(chunks);
        const message = {
          raw,
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          secure: session.secure,
          user: session.user as string | undefined,
        };
        switch (state.behaviour) {
          case 'reply-4xx': {
            const err = Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 });
            return callback(err);
          }
          case 'reply-5xx': {
            const err = Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 });
            return callback(err);
          }
          case 'hold-after-data':
            state.received.push(message); // it has the whole message; the sender will never hear back
            hold();
            return;
          default:
            state.received.push(message);
            return callback(null, 'Queued as TEST1');
        }
      });
    },
  });
  // smtp-server keeps its connections in a Set; the session's socket is reached through it.
  type Conn = { session?: { id: string }; _socket?: { destroy(): void } };
  const connections = () => (server as unknown as { connections: Set<Conn> }).connections;
  function socketOf(id: string) {
    for (const c of connections()) if (c.session?.id === id) return c._socket;
    return undefined;
  }
  // The drop-mid-data behaviour destroys sockets from the data stream; nothing else should error.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  state.port = port;
  const credentials = auth ? `${encodeURIComponent('ada')}:${encodeURIComponent('s3cret pass')}@` : '';
  state.url = `smtp://${credentials}127.0.0.1:${port}${starttls ? '/?tls.rejectUnauthorized=false&requireTLS=true' : ''}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      // Held connections would keep close() waiting 30 s: end them first.
      for (const c of connections()) c._socket?.destroy();
      server.close(() => resolve());
    });
  return state;
}

/** The headers of a raw message, unfolded, as [name, value] in order. */
export function headersOf(raw: Buffer): [string, string][] {
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const block = text.slice(0, end).replace(/\r\n[ \t]+/g, ' ');
  return block.split('\r\n').map((line) => {
    const i = line.indexOf(':');
    return [line.slice(0, i), line.slice(i + 1).trim()];
  });
}

export function header(raw: Buffer, name: string): string | undefined {
  return headersOf(raw).find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}

/** The body of a raw message, as sent (still transfer-encoded). */
export function bodyOf(raw: Buffer): string {
  const text = raw.toString('latin1');
  return text.slice(text.indexOf('\r\n\r\n') + 4);
}

/**
 * RFC 2047 decoding, written here independently of nodemailer: adjacent encoded-words (the
 * whitespace between them is dropped) are joined as bytes before UTF-8 decoding.
 */
export function decodeHeaderValue(value: string): string {
  const parts = value.split(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)/);
  let out = '';
  let pending: number[] = [];
  const flush = () => {
    out += Buffer.from(pending).toString('utf8');
    pending = [];
  };
  parts.forEach((part, i) => {
    const m = /^=\?([^?]+)\?([BbQq])\?([^?]*)\?=$/.exec(part);
    if (m) {
      if (m[1].toLowerCase() !== 'utf-8') throw new Error(`unexpected charset ${m[1]}`);
      const bytes =
        m[2].toUpperCase() === 'B'
          ? [...Buffer.from(m[3], 'base64')]
          : [...m[3].replace(/_/g, ' ').matchAll(/=([0-9A-F]{2})|[^=]/gi)].map((x) => (x[1] ? parseInt(x[1], 16) : x[0].charCodeAt(0)));
      pending.push(...bytes);
      return;
    }
    const between = i > 0 && i < parts.length - 1 && /^\s*$/.test(part);
    if (between && pending.length > 0) return; // whitespace between two encoded words
    flush();
    out += part;
  });
  flush();
  return out;
}

/** Quoted-printable (RFC 2045) to text. */
export function decodeQuotedPrintable(body: string): string {
  const joined = body.replace(/=\r\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(joined.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}
