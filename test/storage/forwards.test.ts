// Claiming forwards against real D1: concurrent claims are disjoint, a claim's lease ends so a
// crashed sender's forwards come back, and a stale claim's results are not written.

import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { createDb } from "../../src/storage/db";
import {
	type ClaimedForward,
	claimDueForwards,
	type ForwardSettlement,
	settleForwards,
} from "../../src/storage/forwards";
import { seedCompany } from "../support/factories";
import { forwardRows, seedPendingForwards } from "../support/salesforce";

const db = createDb(env.DB);

function succeeded(forward: ClaimedForward, remoteId: string): ForwardSettlement {
	const { id: forwardId, clientId, companyId } = forward;
	return {
		forwardId,
		clientId,
		companyId,
		status: "succeeded",
		attempts: 1,
		nextAttemptAt: null,
		lastErrorCode: null,
		lastError: null,
		remoteId,
		attempt: {
			outcome: "succeeded",
			httpStatus: 201,
			errorCode: null,
			durationMs: 5,
			trigger: "cron",
		},
		log: { status: "success", message: `forward ${forwardId} sent` },
	};
}

describe("forward claims", () => {
	it("never hands one forward to two concurrent claimers", async ({ expect }) => {
		const companyId = await seedCompany();
		await seedPendingForwards(companyId, 250, "claims");
		const now = new Date();

		const claims = await Promise.all(
			Array.from({ length: 5 }, (_, i) =>
				claimDueForwards(db, { companyId }, { token: `t${i}`, now, leaseSeconds: 300 }, 100),
			),
		);

		const ids = claims.flat().map((f) => f.id);
		expect(ids).toHaveLength(250);
		expect(new Set(ids).size).toBe(250);
		expect(
			await claimDueForwards(db, { companyId }, { token: "late", now, leaseSeconds: 300 }, 100),
		).toEqual([]);
	});

	it("gives a crashed sender's forwards to the next claimer once the lease ends; the stale result is dropped", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		await seedPendingForwards(companyId, 1, "lease");
		const t0 = new Date("2026-12-02T10:00:00Z");
		const [stale] = await claimDueForwards(
			db,
			{ companyId },
			{ token: "stale", now: t0, leaseSeconds: 300 },
			10,
		);
		const during = await claimDueForwards(
			db,
			{ companyId },
			{ token: "early", now: new Date(t0.getTime() + 299_000), leaseSeconds: 300 },
			10,
		);
		const [fresh] = await claimDueForwards(
			db,
			{ companyId },
			{ token: "fresh", now: new Date(t0.getTime() + 301_000), leaseSeconds: 300 },
			10,
		);
		if (!stale || !fresh) throw new Error("not claimed");

		await settleForwards(db, "stale", [succeeded(stale, "00QSTALE")], t0);
		const afterStale = await forwardRows(companyId);
		await settleForwards(db, "fresh", [succeeded(fresh, "00QFRESH")], t0);

		expect(during).toEqual([]);
		expect(fresh.id).toBe(stale.id);
		expect(afterStale[0]).toMatchObject({
			status: "sending",
			claim_token: "fresh",
			remote_id: null,
		});
		expect((await forwardRows(companyId))[0]).toMatchObject({
			status: "succeeded",
			claim_token: null,
			remote_id: "00QFRESH",
		});
	});
});
