/**
 * Every procedure that is not public has the shared security matrix: the
 * router is walked (test/setup/procedures.ts), the matrices are read from the
 * test files, and a procedure added without one fails here. securityMatrix()
 * itself refuses a name that is no procedure, or a kind that does not fit.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { appProcedures } from "../setup/procedures.ts";

const ROOT = join(import.meta.dir, "..", "..");

/** Names passed to securityMatrix(...) in `source`; a matrix must name its procedure with a string literal. */
export function matrixNames(source: string): string[] {
  return [...source.matchAll(/\bsecurityMatrix\s*(?:<[^>]*>)?\s*\(\s*\{\s*name:\s*"([^"]+)"/g)].map((m) => m[1]!);
}

const declared = [...new Bun.Glob("test/**/*.test.ts").scanSync({ cwd: ROOT })]
  .filter((path) => !path.endsWith("security-coverage.test.ts")) // its own examples below are no matrices
  .flatMap((path) => matrixNames(readFileSync(join(ROOT, path), "utf8")));

describe("security matrix coverage", () => {
  test("every non-public procedure of the app router has a security matrix", () => {
    const guarded = appProcedures().filter((p) => p.kind !== "public");
    expect(guarded.length).toBeGreaterThan(30);
    expect(guarded.map((p) => p.path).filter((path) => !declared.includes(path))).toEqual([]);
  });

  test("a matrix is declared once per procedure, and only for procedures that exist", () => {
    const paths = new Set(appProcedures().map((p) => p.path));
    expect(declared.filter((name) => !paths.has(name))).toEqual([]);
    expect(declared.filter((name, i) => declared.indexOf(name) !== i)).toEqual([]);
  });

  test("the scan reads the matrices as they are written", () => {
    expect(matrixNames(`securityMatrix({\n  name: "products.get",\n  kind: "tenant",`)).toEqual(["products.get"]);
    expect(matrixNames(`securityMatrix<string>({ name: "tenants.lifecycle.purge", kind: "admin" })`)).toEqual(["tenants.lifecycle.purge"]);
    expect(matrixNames(`// no matrix here: products.list`)).toEqual([]);
  });

  test("public procedures are exactly the ones anyone may call", () => {
    expect(appProcedures().filter((p) => p.kind === "public").map((p) => p.path)).toEqual(["auth.login", "auth.refresh", "auth.register", "directory.search"]);
  });
});
