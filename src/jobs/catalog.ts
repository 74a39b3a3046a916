/**
 * Every job type the app knows, by name. Sending an unknown type is refused
 * (BAD_REQUEST) and running one fails the job, so a typo never queues work
 * nobody will do. Tests register their own probe types with `register`.
 */
import { isPlatformType } from "./queues.ts";
import type { JobDefinition } from "./definition.ts";
import { PRODUCTION_JOBS } from "./handlers/index.ts";

const byType = new Map<string, JobDefinition>();

export const jobCatalog = {
  get(type: string): JobDefinition | undefined {
    return byType.get(type);
  },
  all(): JobDefinition[] {
    return [...byType.values()];
  },
  register(...definitions: JobDefinition[]): void {
    for (const definition of definitions) {
      if ((definition.kind === "platform") !== isPlatformType(definition.type)) {
        throw new Error(`job type ${definition.type}: platform-wide types, and only they, are named platform.*`);
      }
      const known = byType.get(definition.type);
      if (known && known !== definition) throw new Error(`job type ${definition.type} is defined twice`);
      byType.set(definition.type, definition);
    }
  },
};

jobCatalog.register(...PRODUCTION_JOBS);
