// guarded(): D1 failures become StorageUnavailableError without Drizzle's list of bound values;
// preparedShapes(): a statement shape's SQL text is built once, each call only fills in values.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, it, vi } from "vitest";
import {
	createDb,
	guarded,
	preparedShapes,
	runBatch,
	StorageUnavailableError,
} from "../../src/storage/db";

describe("guarded", () => {
	it("keeps D1's own error as the cause, never Drizzle's message with the params", async ({
		expect,
	}) => {
		const d1Error = new Error("D1_ERROR: UNIQUE constraint failed: clients.email");
		const wrapped = new DrizzleQueryError("insert into clients ...", ["zara@example.com"], d1Error);

		const failure = await guarded(() => Promise.reject(wrapped)).catch((error: unknown) => error);

		expect(failure).toBeInstanceOf(StorageUnavailableError);
		expect((failure as StorageUnavailableError).cause).toBe(d1Error);
		expect(String((failure as StorageUnavailableError).cause)).not.toContain("zara@example.com");
	});

	it("passes results through", async ({ expect }) => {
		expect(await guarded(async () => 42)).toBe(42);
	});
});

describe("preparedShapes", () => {
	const a = sql.placeholder("a");
	const b = sql.placeholder("b");

	it("builds each shape's text once and fills every placeholder, repeated ones too", ({
		expect,
	}) => {
		const build = vi.fn(({ plus }: { plus: boolean }) =>
			plus ? sql`SELECT ${a} + ${b} + ${a}` : sql`SELECT ${a}`,
		);
		const query = preparedShapes(build);

		expect(query({ plus: true }, { a: 1, b: 2 })).toEqual({
			sql: "SELECT ? + ? + ?",
			params: [1, 2, 1],
		});
		expect(query({ plus: true }, { a: 5, b: 6 }).params).toEqual([5, 6, 5]);
		expect(query({ plus: false }, { a: 7 })).toEqual({ sql: "SELECT ?", params: [7] });
		expect(build).toHaveBeenCalledTimes(2);
	});

	it("refuses a call that leaves a placeholder without its value", ({ expect }) => {
		const query = preparedShapes(() => sql`SELECT ${a}, ${b}`);
		expect(() => query(null, { a: 1 })).toThrow('No value for placeholder "b"');
	});

	it("runs in a D1 batch beside plain Drizzle sql", async ({ expect }) => {
		const query = preparedShapes(() => sql`SELECT ${a} * 2 AS doubled`);
		const [prepared, plain] = await runBatch(createDb(env.DB), [
			query(null, { a: 21 }),
			sql`SELECT ${"plain"} AS value`,
		]);
		expect(prepared).toEqual([{ doubled: 42 }]);
		expect(plain).toEqual([{ value: "plain" }]);
	});
});
