/**
 * The app router's procedures as tests see them: path, query or mutation, the
 * builder they descend from (so who may call them), and their input schema.
 * Tests generated from this list (security-matrix coverage, the fuzz test)
 * cover a new procedure without anyone editing them.
 */
import type { z } from "zod";
import { adminProcedure, authedProcedure, customerProcedure, publicProcedure, tenantProcedure } from "../../src/trpc/procedures.ts";
import { appRouter } from "../../src/trpc/router.ts";

export type ProcedureKind = "public" | "authed" | "tenant" | "customer" | "admin";

export interface ProcedureInfo {
  path: string;
  type: "query" | "mutation";
  kind: ProcedureKind;
  /** The zod input schema, or undefined for a procedure that takes none. */
  input: z.ZodType | undefined;
}

type Def = { _def: { middlewares: unknown[]; inputs: unknown[]; type?: string } };
const middlewaresOf = (builder: unknown) => (builder as Def)._def.middlewares;

/** Most specific first: tenantProcedure is derived from publicProcedure, ownerProcedure from tenantProcedure. */
const BUILDERS: [ProcedureKind, unknown[]][] = [
  ["tenant", middlewaresOf(tenantProcedure)],
  ["customer", middlewaresOf(customerProcedure)],
  ["admin", middlewaresOf(adminProcedure)],
  ["authed", middlewaresOf(authedProcedure)],
  ["public", middlewaresOf(publicProcedure)],
];

/** tRPC keeps a builder's middlewares on _def; a procedure built on it starts with the same ones, by identity. */
function kindOf(path: string, procedure: Def): ProcedureKind {
  const mws = procedure._def.middlewares;
  const match = BUILDERS.find(([, prefix]) => prefix.every((mw, i) => mws[i] === mw));
  if (!match) throw new Error(`${path} is built on none of the house builders`);
  return match[0];
}

let cached: readonly ProcedureInfo[] | undefined;

/** Walked, classified and sorted once: the router does not change while the tests run. */
export const appProcedures = (): readonly ProcedureInfo[] => (cached ??= listProcedures());

function listProcedures(): readonly ProcedureInfo[] {
  const procedures = (appRouter as unknown as { _def: { procedures: Record<string, Def> } })._def.procedures;
  return Object.entries(procedures)
    .map(([path, p]) => ({
      path,
      type: p._def.type === "query" ? ("query" as const) : ("mutation" as const),
      kind: kindOf(path, p),
      input: p._def.inputs[0] as z.ZodType | undefined,
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}
