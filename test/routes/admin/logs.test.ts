// /api/admin/logs through the Worker: newest-first pages without payloads, filters by company,
// status, action and awaiting replay, and one log with its payload for replay.
import { describe, it } from "vitest";
import {
	allPages,
	call,
	type ErrorEnvelope,
	issuePaths,
	type ListBody,
} from "../../support/admin-api";
import { seedCompany, seedLog } from "../../support/factories";

interface LogJson {
	id: number;
	company_id: number | null;
	provider: string;
	action: string;
	status: string;
	message: string | null;
	external_id: string | null;
	request_id: string | null;
	created_at: string;
	has_payload: boolean;
	payload?: string | null;
}

const RAW_PAYLOAD = '{"advertiser_id":7234567890123456789,"broken":';

describe("admin logs", () => {
	it("lists logs without payloads, flagging which have one", async ({ expect }) => {
		const companyId = await seedCompany();
		const ok = await seedLog({
			companyId,
			status: "success",
			externalId: "lead-1",
			requestId: "r1",
		});
		const failed = await seedLog({
			companyId,
			status: "failure",
			message: "could not parse payload: unexpected end",
			payload: RAW_PAYLOAD,
			requestId: "r2",
		});

		const { status, body } = await call<ListBody<LogJson>>(`/logs?company_id=${companyId}`);
		expect(status).toBe(200);
		expect(body.next_cursor).toBeNull();
		expect(body.data.map((log) => [log.id, log.has_payload])).toEqual([
			[failed, true],
			[ok, false],
		]);
		expect(body.data[0]).toMatchObject({
			company_id: companyId,
			provider: "tiktok",
			action: "tiktok_lead_received",
			status: "failure",
			message: "could not parse payload: unexpected end",
			external_id: null,
			request_id: "r2",
		});
		for (const log of body.data) expect(log).not.toHaveProperty("payload");
	});

	it("returns one log with its payload, byte for byte", async ({ expect }) => {
		const id = await seedLog({ status: "failure", payload: RAW_PAYLOAD, message: "no company_id" });
		const { status, body } = await call<LogJson>(`/logs/${id}`);
		expect(status).toBe(200);
		expect(body).toMatchObject({
			id,
			company_id: null,
			status: "failure",
			has_payload: true,
			payload: RAW_PAYLOAD,
		});
		const without = await seedLog({ status: "success" });
		expect((await call<LogJson>(`/logs/${without}`)).body).toMatchObject({
			has_payload: false,
			payload: null,
		});
	});

	it("filters by status and action", async ({ expect }) => {
		const companyId = await seedCompany();
		const dup = await seedLog({ companyId, status: "duplicate" });
		await seedLog({ companyId, status: "success" });
		const meta = await seedLog({ companyId, status: "success", action: "meta_lead_received" });

		const byStatus = await call<ListBody<LogJson>>(
			`/logs?company_id=${companyId}&status=duplicate`,
		);
		expect(byStatus.body.data.map((log) => log.id)).toEqual([dup]);
		const byAction = await call<ListBody<LogJson>>(
			`/logs?company_id=${companyId}&action=meta_lead_received`,
		);
		expect(byAction.body.data.map((log) => log.id)).toEqual([meta]);
		const both = await call<ListBody<LogJson>>(
			`/logs?company_id=${companyId}&status=duplicate&action=meta_lead_received`,
		);
		expect(both.body.data).toEqual([]);
	});

	it("lists only the failures a replay can still take with replayable=true", async ({ expect }) => {
		const companyId = await seedCompany();
		const awaiting = await seedLog({ companyId, status: "failure", payload: RAW_PAYLOAD });
		await seedLog({
			companyId,
			status: "failure",
			payload: RAW_PAYLOAD,
			replayedAt: "2026-12-01T00:00:00.000Z",
		});
		await seedLog({ companyId, status: "failure" });
		await seedLog({ companyId, status: "failure", payload: "{}", requestId: "replay:abc" });
		await seedLog({ companyId, status: "success", payload: "{}" });

		const listed = await call<ListBody<LogJson>>(`/logs?company_id=${companyId}&replayable=true`);
		const all = await call<ListBody<LogJson>>(`/logs?company_id=${companyId}&replayable=false`);
		const bad = await call<ErrorEnvelope>(`/logs?replayable=maybe`);

		expect(listed.body.data.map((log) => log.id)).toEqual([awaiting]);
		expect(all.body.data).toHaveLength(5);
		expect(bad.status).toBe(400);
	});

	it("pages newest first through next_cursor without gaps or repeats", async ({ expect }) => {
		const companyId = await seedCompany();
		const ids: number[] = [];
		for (let i = 0; i < 5; i++) {
			ids.push(await seedLog({ companyId, status: "failure", payload: `{"n":${i}}` }));
			await seedLog({ companyId, status: "success" });
		}
		const pages = await allPages(`/logs?company_id=${companyId}&status=failure`, 2);
		expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
		expect(pages.flat()).toEqual([...ids].reverse());
	});

	it("rejects an unknown status with 400 and answers 404 to an unknown id", async ({ expect }) => {
		const bad = await call<ErrorEnvelope>("/logs?status=exploded");
		expect(bad.status).toBe(400);
		expect(issuePaths(bad.body)).toContain("status");
		const missing = await call<ErrorEnvelope>("/logs/9090909");
		expect(missing.status).toBe(404);
		expect(missing.body.error.message).toBe("log 9090909 not found");
	});
});
