// The retention sweep is bounded: at most chunkRows × maxStatements payloads per call, oldest first.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { createDb } from "../../src/storage/db";
import { clearOldPayloads } from "../../src/storage/payload-retention";
import { logRows, seedLog } from "../support/factories";

describe("clearOldPayloads", () => {
	it("clears at most chunkRows × maxStatements per sweep, oldest first, and finishes next time", async ({
		expect,
	}) => {
		const ids: number[] = [];
		for (let day = 1; day <= 9; day++) {
			ids.push(
				await seedLog({
					status: "failure",
					payload: `{"n":${day}}`,
					createdAt: `2026-01-0${day}T00:00:00.000Z`,
				}),
			);
		}
		const db = createDb(env.DB);
		const limits = { chunkRows: 2, maxStatements: 3 };

		expect(await clearOldPayloads(db, "2026-06-01T00:00:00.000Z", limits)).toBe(6);
		const kept = (await logRows()).filter((log) => ids.includes(log.id) && log.payload !== null);
		expect(kept.map((log) => log.id)).toEqual(ids.slice(6));

		expect(await clearOldPayloads(db, "2026-06-01T00:00:00.000Z", limits)).toBe(3);
		expect(await clearOldPayloads(db, "2026-06-01T00:00:00.000Z", limits)).toBe(0);
	});
});
