// Replay of failed receipts: the stored payload runs again through today's configuration, every
// replay is its own row (the original keeps its first outcome), and dedupe makes a second replay a
// no-op.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { formPayload } from "../../src/providers/webform";
import { call, type ListBody } from "../support/admin-api";
import {
	clientRows,
	count,
	logRows,
	rowById,
	seedCompany,
	seedEmployee,
	seedLog,
} from "../support/factories";
import { taskRows } from "../support/forms";
import { fetchWithEnv, postTikTok } from "../support/requests";
import { TEST_ADMIN_TOKEN } from "../support/secrets";
import { newLeadId, tiktokWebhook } from "../support/tiktok-bodies";

interface ReplayJson {
	log_id: number;
	outcome: string;
	message: string;
	log?: { id: number; replayed_at: string | null; replay_outcome: string | null };
}

interface LogRow {
	status: string;
	payload: string | null;
	replayed_at: string | null;
	replay_outcome: string | null;
	replay_request_id: string | null;
}

/** Operator API call through a fresh app with extra env (e.g. today's TikTok mapping). */
async function adminWithEnv<T>(
	overrides: Partial<Env>,
	path: string,
	body?: unknown,
): Promise<{ status: number; body: T }> {
	const headers: Record<string, string> = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
	if (body !== undefined) headers["Content-Type"] = "application/json";
	const response = await fetchWithEnv(overrides, `https://relay.test/api/admin${path}`, {
		method: "POST",
		headers,
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: response.status, body: await response.json<T>() };
}

async function d1Now(): Promise<string> {
	const row = await env.DB.prepare("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS now").first<{
		now: string;
	}>();
	if (!row) throw new Error("no time");
	return row.now;
}

/** Posts a TikTok lead no rule routes; returns the failure log's id. */
async function unroutedTikTokLead(leadId: string, advertiserId: string): Promise<number> {
	const response = await postTikTok(tiktokWebhook([{ leadId, advertiserId }]));
	if (response.status !== 200) throw new Error(`delivery answered ${response.status}`);
	const log = (await logRows()).findLast(
		(row) => row.message === `TikTok advertiser ${advertiserId} is not mapped to a company`,
	);
	if (!log) throw new Error("no failure log");
	return log.id;
}

describe("replay one log", () => {
	it("turns a TikTok lead of an unmapped advertiser into a client once mapped; twice adds nothing, and both replays stay on record", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ autoAssign: true });
		const rep = await seedEmployee(companyId, "Ana");
		const leadId = newLeadId();
		const advertiserId = "7398120456700000001";
		const logId = await unroutedTikTokLead(leadId, advertiserId);
		expect(await clientRows({ externalId: leadId })).toEqual([]);

		const mapping = await call("/integration-accounts", {
			method: "POST",
			body: {
				company_id: companyId,
				provider: "tiktok",
				name: "Northwind ads",
				external_id: advertiserId,
			},
		});
		expect(mapping.status).toBe(201);

		const first = await call<ReplayJson>(`/logs/${logId}/replay`, { method: "POST" });
		expect(first.status).toBe(200);
		expect(first.body).toMatchObject({
			log_id: logId,
			outcome: "created",
			message: "1 created, 0 duplicates, 0 failed",
			log: { id: logId, replay_outcome: "created" },
		});
		const clients = await clientRows({ externalId: leadId });
		expect(clients).toEqual([
			expect.objectContaining({ company_id: companyId, assigned_employee_id: rep }),
		]);
		const original = await rowById<LogRow>("integration_logs", logId);
		expect(original?.replayed_at).toMatch(/^\d{4}-\d\d-\d\dT/);
		expect(original?.replay_request_id).toMatch(new RegExp(`^replay:${logId}:`));
		const replayLogs = (await logRows()).filter(
			(row) => row.request_id === original?.replay_request_id,
		);
		expect(replayLogs).toEqual([
			expect.objectContaining({ status: "success", external_id: leadId }),
		]);

		const clientsBefore = await count("clients");
		const second = await call<ReplayJson & { replays: { outcome: string; request_id: string }[] }>(
			`/logs/${logId}/replay`,
			{ method: "POST" },
		);
		expect(second.body).toMatchObject({ outcome: "duplicate" });
		expect(await count("clients")).toBe(clientsBefore);
		// Append-only: the original keeps its first outcome; each replay is its own row.
		expect(await rowById<LogRow>("integration_logs", logId)).toMatchObject({
			replay_outcome: "created",
			replay_request_id: original?.replay_request_id,
		});
		expect(second.body.replays.map((r) => r.outcome)).toEqual(["created", "duplicate"]);
		const detail = await call<{ replays: { outcome: string; request_id: string }[] }>(
			`/logs/${logId}`,
		);
		expect(detail.body.replays).toEqual([
			expect.objectContaining({ outcome: "created", request_id: original?.replay_request_id }),
			expect.objectContaining({
				outcome: "duplicate",
				request_id: expect.stringMatching(new RegExp(`^replay:${logId}:`)),
			}),
		]);
		expect(detail.body.replays[1]?.request_id).not.toBe(original?.replay_request_id);
	});

	it("records a replay that fails again, keeping the row replayable", async ({ expect }) => {
		const advertiserId = "7398120456700000002";
		const logId = await unroutedTikTokLead(newLeadId(), advertiserId);

		const { status, body } = await call<ReplayJson>(`/logs/${logId}/replay`, { method: "POST" });

		expect(status).toBe(200);
		expect(body).toMatchObject({
			outcome: "failure",
			message: `0 created, 0 duplicates, 1 failed (TikTok advertiser ${advertiserId} is not mapped to a company)`,
		});
		const row = await rowById<LogRow>("integration_logs", logId);
		expect(row).toMatchObject({ status: "failure", replay_outcome: "failure" });
		expect(row?.payload).toEqual(expect.any(String));
		const again = await call<ReplayJson>(`/logs/${logId}/replay`, { method: "POST" });
		expect(again.status).toBe(200);
	});

	it("replays a failed form submission once its company exists; twice adds no task", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ defaultCountry: "AE" });
		const logId = await seedLog({
			provider: "webform",
			action: "form_submission_received",
			status: "failure",
			message: "company does not exist",
			payload: formPayload({
				company_id: String(companyId),
				idempotency_key: null,
				fields: [
					{ name: "name", values: ["Lina Saleh"] },
					{ name: "phone", values: ["050 765 4321"] },
				],
			}),
		});

		const first = await call<ReplayJson>(`/logs/${logId}/replay`, { method: "POST" });
		const second = await call<ReplayJson>(`/logs/${logId}/replay`, { method: "POST" });

		expect(first.body).toMatchObject({ outcome: "created" });
		expect(second.body).toMatchObject({ outcome: "duplicate" });
		const clients = await clientRows({ companyId });
		expect(clients).toEqual([
			expect.objectContaining({
				source: "webform",
				full_name: "Lina Saleh",
				phones: "+971507654321",
			}),
		]);
		expect(await taskRows(clients[0]?.id)).toHaveLength(1);
	});

	it("answers 409 for a log that is not a failure or kept no payload, 404 for none", async ({
		expect,
	}) => {
		const success = await seedLog({ status: "success" });
		const bare = await seedLog({ status: "failure", payload: null });
		const other = await seedLog({ status: "failure", payload: "{}", action: "mystery_received" });

		expect((await call(`/logs/${success}/replay`, { method: "POST" })).status).toBe(409);
		expect((await call(`/logs/${bare}/replay`, { method: "POST" })).status).toBe(409);
		expect(await call(`/logs/${other}/replay`, { method: "POST" })).toMatchObject({
			status: 409,
			body: { error: { message: "no replay for action mystery_received" } },
		});
		expect((await call("/logs/987654/replay", { method: "POST" })).status).toBe(404);
	});
});

describe("bulk replay", () => {
	it("replays every failure of an action since a time, page by page, and only once each", async ({
		expect,
	}) => {
		// D1's own clock, so earlier tests' failures in this file are before it.
		const since = await d1Now();
		const companyId = await seedCompany();
		const leadIds = [newLeadId(), newLeadId(), newLeadId()];
		const logIds: number[] = [];
		for (const leadId of leadIds) {
			logIds.push(await unroutedTikTokLead(leadId, "7398120456700000003"));
		}
		const body = { action: "tiktok_lead_received", since, limit: 2 };

		// Before the configuration is fixed: all fail again, and the replays' own failure logs are
		// not picked up by the next bulk replay.
		const failing = await adminWithEnv<ListBody<ReplayJson>>({}, "/logs/replay", {
			...body,
			limit: 50,
		});
		expect(failing.body.data.map((r) => [r.log_id, r.outcome])).toEqual(
			logIds.map((id) => [id, "failure"]),
		);

		const fixed = { TIKTOK_LEADGEN_COMPANY_ID: String(companyId) };
		const page1 = await adminWithEnv<ListBody<ReplayJson>>(fixed, "/logs/replay", body);
		expect(page1.status).toBe(200);
		expect(page1.body.data.map((r) => [r.log_id, r.outcome])).toEqual([
			[logIds[0], "created"],
			[logIds[1], "created"],
		]);
		expect(page1.body.next_cursor).toEqual(expect.any(String));
		const page2 = await adminWithEnv<ListBody<ReplayJson>>(fixed, "/logs/replay", {
			...body,
			cursor: page1.body.next_cursor,
		});
		expect(page2.body.data.map((r) => [r.log_id, r.outcome])).toEqual([[logIds[2], "created"]]);
		expect(page2.body.next_cursor).toBeNull();
		expect((await clientRows({ companyId })).map((c) => c.external_id)).toEqual(leadIds);

		const again = await adminWithEnv<ListBody<ReplayJson>>(fixed, "/logs/replay", {
			...body,
			limit: 50,
		});
		expect(again.body.data.map((r) => r.outcome)).toEqual(["duplicate", "duplicate", "duplicate"]);
		expect(await clientRows({ companyId })).toHaveLength(3);
	});

	it("filters by company and answers 400 without since", async ({ expect }) => {
		const companyId = await seedCompany();
		const mine = await seedLog({
			companyId,
			status: "failure",
			message: "company does not exist",
			payload: tiktokWebhook([{ leadId: newLeadId() }]),
		});
		await seedLog({ status: "failure", payload: tiktokWebhook([{ leadId: newLeadId() }]) });

		const { body } = await call<ListBody<ReplayJson>>("/logs/replay", {
			method: "POST",
			body: { company_id: companyId, since: "2020-01-01T00:00:00Z" },
		});
		expect(body.data.map((r) => r.log_id)).toEqual([mine]);

		const missing = await call("/logs/replay", { method: "POST", body: {} });
		expect(missing.status).toBe(400);
	});
});
