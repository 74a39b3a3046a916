/**
 * A real SMTP server on loopback (npm smtp-server) that keeps what it accepted,
 * parsed (mailparser). A message counts as delivered only once the server has
 * answered 250 to it, as with any MTA: `beforeAccept` can hold that answer (the
 * crash test kills the sender meanwhile) or refuse the message.
 */
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface TestSmtp {
  url: string;
  /** Accepted messages, in order. */
  delivered: ParsedMail[];
  /** Messages whose data arrived, accepted or not. */
  received(): number;
  /** Resolves when `count` messages have been delivered. */
  waitForDelivered(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

export async function startSmtp(options: { beforeAccept?: (mail: ParsedMail) => Promise<"accept" | "refuse"> } = {}): Promise<TestSmtp> {
  const delivered: ParsedMail[] = [];
  let received = 0;
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          received++;
          const verdict = options.beforeAccept ? await options.beforeAccept(mail) : "accept";
          if (verdict === "refuse") return callback(Object.assign(new Error("refused by the test"), { responseCode: 451 }));
          delivered.push(mail);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    delivered,
    received: () => received,
    async waitForDelivered(count, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      while (delivered.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} e-mails, got ${delivered.length} within ${timeoutMs} ms`);
        await Bun.sleep(25);
      }
      return delivered;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
