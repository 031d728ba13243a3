// guarded(): D1 failures become StorageUnavailableError without Drizzle's list of bound values.
import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, it } from "vitest";
import { guarded, StorageUnavailableError } from "../../src/storage/db";

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
