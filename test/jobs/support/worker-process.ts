/**
 * A worker in a process of its own, for the crash test to SIGKILL: the same
 * worker as `bun run worker`, on the test run's database (the environment
 * test/run.ts hands every test), sending mail to TEST_SMTP_URL.
 * Prints "ready" once it is fetching.
 */
import { createMailer } from "../../../src/lib/mailer.ts";
import { testRuntime, testWorker } from "./jobs.ts";

await testWorker({ runtime: testRuntime({ mailer: createMailer(process.env.TEST_SMTP_URL) }), slots: 2 });
console.log("ready");
setInterval(() => {}, 60_000);
