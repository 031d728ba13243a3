// GET /api/admin/companies/:id/stats: new clients by source per day, failures and duplicates of the
// company in a window (default: the last 30 days).
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { call } from "../../support/admin-api";
import { seedClient, seedCompany, seedLog } from "../../support/factories";

interface StatsJson {
	company_id: number;
	since: string;
	until: string;
	leads_by_source_per_day: { day: string; source: string; count: number }[];
	failures: number;
	duplicates: number;
	failures_by_action: { action: string; count: number }[];
}

async function clientOn(companyId: number, source: string, createdAt: string) {
	const id = await seedClient(companyId, { source });
	await env.DB.prepare("UPDATE clients SET created_at = ? WHERE id = ?").bind(createdAt, id).run();
}

describe("admin company stats", () => {
	it("counts leads by source per day, failures and duplicates within the window", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const other = await seedCompany();
		await clientOn(companyId, "tiktok", "2026-11-20T08:00:00.000Z");
		await clientOn(companyId, "tiktok", "2026-11-20T21:00:00.000Z");
		await clientOn(companyId, "webform", "2026-11-20T09:00:00.000Z");
		await clientOn(companyId, "tiktok", "2026-11-21T09:00:00.000Z");
		await clientOn(companyId, "tiktok", "2026-10-01T09:00:00.000Z");
		await clientOn(other, "tiktok", "2026-11-20T09:00:00.000Z");
		const at = "2026-11-20T10:00:00.000Z";
		await seedLog({ companyId, status: "failure", action: "tiktok_lead_received", createdAt: at });
		await seedLog({
			companyId,
			status: "failure",
			action: "form_submission_received",
			createdAt: at,
		});
		await seedLog({ companyId, status: "failure", action: "tiktok_lead_received", createdAt: at });
		await seedLog({ companyId, status: "duplicate", createdAt: at });
		await seedLog({ companyId, status: "success", createdAt: at });
		await seedLog({ companyId: other, status: "failure", createdAt: at });

		const { status, body } = await call<StatsJson>(
			`/companies/${companyId}/stats?since=2026-11-01T00:00:00Z&until=2026-12-01T00:00:00Z`,
		);

		expect(status).toBe(200);
		expect(body).toEqual({
			company_id: companyId,
			since: "2026-11-01T00:00:00.000Z",
			until: "2026-12-01T00:00:00.000Z",
			leads_by_source_per_day: [
				{ day: "2026-11-20", source: "tiktok", count: 2 },
				{ day: "2026-11-20", source: "webform", count: 1 },
				{ day: "2026-11-21", source: "tiktok", count: 1 },
			],
			failures: 3,
			duplicates: 1,
			failures_by_action: [
				{ action: "form_submission_received", count: 1 },
				{ action: "tiktok_lead_received", count: 2 },
			],
		});
	});

	it("defaults to the last 30 days and answers 404/400", async ({ expect }) => {
		const companyId = await seedCompany();
		await seedClient(companyId, { source: "webform" });

		const { body } = await call<StatsJson>(`/companies/${companyId}/stats`);
		expect(Date.parse(body.until) - Date.parse(body.since)).toBe(30 * 24 * 60 * 60 * 1000);
		expect(body.leads_by_source_per_day).toEqual([
			{ day: expect.stringMatching(/^\d{4}-\d\d-\d\d$/), source: "webform", count: 1 },
		]);
		expect(body).toMatchObject({ failures: 0, duplicates: 0, failures_by_action: [] });
		expect((await call("/companies/987654/stats")).status).toBe(404);
		expect((await call(`/companies/${companyId}/stats?since=yesterday`)).status).toBe(400);
	});
});
