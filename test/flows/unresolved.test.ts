// Unresolved leads: a lead that failed is unresolved from its first failed receipt until a client
// exists for it (a replay or a redelivery made one) or an operator dismisses it, however many
// replays failed in between; the overview, the groups and the health run count it once.
// "Route and replay" maps its routing key and replays every lead the key could not route.
import { describe, it } from "vitest";
import { call, type ListBody } from "../support/admin-api";
import { clientRows, logRows, seedCompany } from "../support/factories";
import { fakeGraph } from "../support/fake-graph";
import { leadgenWebhook, newLeadgenId } from "../support/meta";
import { postMeta, postTikTok } from "../support/requests";
import { newLeadId, tiktokWebhook } from "../support/tiktok-bodies";
import { whatsappMessage } from "../support/whatsapp";

interface UnresolvedJson {
	id: number;
	provider: string;
	external_id: string | null;
	cause: string;
	routing_key: string | null;
	reason: string | null;
	first_log_id: number;
	last_log_id: number;
	attempts: number;
	first_at: string;
	resolved_at: string | null;
	resolved_client_id: number | null;
	dismissed_at: string | null;
	dismissed_reason: string | null;
}

interface GroupJson {
	provider: string;
	cause: string;
	routing_key: string | null;
	count: number;
	reason: string | null;
}

/** A fresh advertiser id per test: tests of one file share D1 (a mapping would leak otherwise). */
let advertiserSequence = 0;
function newAdvertiserId(): string {
	advertiserSequence += 1;
	return `73981204567${String(Date.now() % 100000).padStart(5, "0")}${String(advertiserSequence).padStart(3, "0")}`;
}

/** Posts TikTok leads of an advertiser nobody mapped; answers the delivery and the lead ids. */
async function unmappedTikTok(advertiserId: string, count = 1) {
	const leadIds = Array.from({ length: count }, () => newLeadId());
	const response = await postTikTok(
		tiktokWebhook(leadIds.map((leadId) => ({ leadId, advertiserId }))),
	);
	if (response.status !== 200) throw new Error(`delivery answered ${response.status}`);
	return leadIds;
}

/** The open unresolved leads of a TikTok advertiser, oldest first. */
async function openLeads(advertiserId: string): Promise<UnresolvedJson[]> {
	const { body } = await call<ListBody<UnresolvedJson>>(
		`/unresolved?provider=tiktok&routing_key=${advertiserId}`,
	);
	return body.data.reverse();
}

/** The first open lead of an advertiser (there must be one). */
async function firstOpen(advertiserId: string): Promise<UnresolvedJson> {
	const [lead] = await openLeads(advertiserId);
	if (!lead) throw new Error(`no unresolved lead of advertiser ${advertiserId}`);
	return lead;
}

async function unresolvedById(id: number): Promise<UnresolvedJson> {
	const { status, body } = await call<UnresolvedJson>(`/unresolved/${id}`);
	if (status !== 200) throw new Error(`GET /unresolved/${id} answered ${status}`);
	return body;
}

async function groupOf(advertiserId: string): Promise<GroupJson | undefined> {
	const { body } = await call<{ data: GroupJson[] }>("/unresolved/groups");
	return body.data.find((group) => group.routing_key === advertiserId);
}

async function overviewGroup(advertiserId: string): Promise<GroupJson | undefined> {
	const { body } = await call<{ unresolved_leads: GroupJson[] }>("/overview");
	return body.unresolved_leads.find((group) => group.routing_key === advertiserId);
}

async function mapAdvertiser(companyId: number, advertiserId: string): Promise<void> {
	const { status } = await call("/integration-accounts", {
		method: "POST",
		body: { company_id: companyId, provider: "tiktok", name: "Ads", external_id: advertiserId },
	});
	if (status !== 201) throw new Error(`mapping answered ${status}`);
}

describe("an unresolved lead", () => {
	it("is opened by its first failed receipt, with a reason naming what to fix", async ({
		expect,
	}) => {
		const advertiserId = newAdvertiserId();
		const [leadId] = await unmappedTikTok(advertiserId);

		const [lead] = await openLeads(advertiserId);
		const failure = (await logRows()).find((row) => row.external_id === leadId);
		expect(lead).toMatchObject({
			provider: "tiktok",
			external_id: leadId,
			cause: "unmapped",
			routing_key: advertiserId,
			reason: `TikTok advertiser ${advertiserId} is not mapped to a company`,
			first_log_id: failure?.id,
			last_log_id: failure?.id,
			attempts: 1,
			resolved_at: null,
		});
		expect(await overviewGroup(advertiserId)).toMatchObject({ cause: "unmapped", count: 1 });
	});

	it("stays unresolved, counted once, however many replays fail before the mapping", async ({
		expect,
	}) => {
		const advertiserId = newAdvertiserId();
		const [leadId] = await unmappedTikTok(advertiserId);
		const opened = await firstOpen(advertiserId);

		for (let i = 0; i < 2; i++) {
			const replay = await call<{ outcome: string }>(`/logs/${opened.first_log_id}/replay`, {
				method: "POST",
			});
			expect(replay.body.outcome).toBe("failure");
		}

		const lead = await unresolvedById(opened.id);
		const replayFailures = (await logRows()).filter(
			(row) => row.external_id === leadId && row.request_id?.startsWith("replay:"),
		);
		expect(replayFailures).toHaveLength(2);
		expect(lead).toMatchObject({
			first_log_id: opened.first_log_id,
			last_log_id: replayFailures[1]?.id,
			attempts: 3,
			resolved_at: null,
			dismissed_at: null,
		});
		expect(await openLeads(advertiserId)).toHaveLength(1);
		expect(await groupOf(advertiserId)).toMatchObject({ count: 1 });
		expect(await overviewGroup(advertiserId)).toMatchObject({ count: 1 });

		const run = await call<{ failing: number }>("/health/run", { method: "POST" });
		expect(run.status).toBe(200);
		const { body: checks } = await call<{
			data: { key: string; status: string; reason: string }[];
		}>("/health?kind=unresolved");
		expect(checks.data).toContainEqual(
			expect.objectContaining({
				key: `unresolved:tiktok:unmapped:${advertiserId}`,
				status: "failing",
				reason: `1 tiktok lead unresolved: TikTok advertiser ${advertiserId} is not mapped to a company`,
			}),
		);
	});

	it("is resolved by the replay that makes it a client, and the lead shows its failed receipt", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const advertiserId = newAdvertiserId();
		const [leadId = ""] = await unmappedTikTok(advertiserId);
		const opened = await firstOpen(advertiserId);
		await call(`/logs/${opened.first_log_id}/replay`, { method: "POST" }); // fails: not mapped yet

		await mapAdvertiser(companyId, advertiserId);
		const replay = await call<{ outcome: string }>(`/logs/${opened.first_log_id}/replay`, {
			method: "POST",
		});

		expect(replay.body.outcome).toBe("created");
		const [client] = await clientRows({ externalId: leadId });
		expect(await unresolvedById(opened.id)).toMatchObject({
			resolved_at: expect.any(String),
			resolved_client_id: client?.id,
		});
		expect(await openLeads(advertiserId)).toEqual([]);
		expect(await overviewGroup(advertiserId)).toBeUndefined();
		const detail = await call<{ received_at: string; created_at: string; logs: { id: number }[] }>(
			`/clients/${client?.id}`,
		);
		expect(detail.body.logs.map((log) => log.id)).toContain(opened.first_log_id);
		expect(detail.body.received_at).toBe(opened.first_at);
		expect(detail.body.received_at < detail.body.created_at).toBe(true);
	});

	it("is resolved by a redelivery that makes it a client", async ({ expect }) => {
		const companyId = await seedCompany();
		const advertiserId = newAdvertiserId();
		const leadId = newLeadId();
		const body = tiktokWebhook([{ leadId, advertiserId }]);
		await postTikTok(body);
		const opened = await firstOpen(advertiserId);

		await mapAdvertiser(companyId, advertiserId);
		expect((await postTikTok(body)).status).toBe(200);

		const [client] = await clientRows({ externalId: leadId });
		expect(client).toBeDefined();
		expect(await unresolvedById(opened.id)).toMatchObject({ resolved_client_id: client?.id });
		expect(await openLeads(advertiserId)).toEqual([]);
	});

	it("is dismissed with a reason, and reopened by a new failed receipt", async ({ expect }) => {
		const advertiserId = newAdvertiserId();
		const leadId = newLeadId();
		const body = tiktokWebhook([{ leadId, advertiserId }]);
		await postTikTok(body);
		const opened = await firstOpen(advertiserId);

		const noReason = await call(`/unresolved/${opened.id}/dismiss`, {
			method: "POST",
			body: { reason: " " },
		});
		expect(noReason.status).toBe(400);
		const dismissed = await call<UnresolvedJson>(`/unresolved/${opened.id}/dismiss`, {
			method: "POST",
			body: { reason: "test lead from the agency" },
		});
		expect(dismissed.status).toBe(200);
		expect(dismissed.body).toMatchObject({
			dismissed_at: expect.any(String),
			dismissed_reason: "test lead from the agency",
		});
		expect(await openLeads(advertiserId)).toEqual([]);
		expect(await overviewGroup(advertiserId)).toBeUndefined();
		const again = await call(`/unresolved/${opened.id}/dismiss`, {
			method: "POST",
			body: { reason: "twice" },
		});
		expect(again.status).toBe(409);
		expect(
			(await call("/unresolved/987654/dismiss", { method: "POST", body: { reason: "x" } })).status,
		).toBe(404);

		await postTikTok(body); // TikTok sends it again, still unmapped
		expect(await unresolvedById(opened.id)).toMatchObject({
			attempts: 2,
			dismissed_at: null,
			dismissed_reason: null,
		});
	});

	it("without a lead id is the failed receipt itself, and a failed replay opens no second one", async ({
		expect,
	}) => {
		const response = await postTikTok('{"object":1,"entry":[{"id":');
		expect(response.status).toBe(200);
		const [failure] = (await logRows()).filter((row) => row.status === "failure").slice(-1);
		const { body } = await call<ListBody<UnresolvedJson>>("/unresolved?cause=unparseable");
		const lead = body.data.find((row) => row.first_log_id === failure?.id);
		expect(lead).toMatchObject({ external_id: null, provider: "tiktok", attempts: 1 });

		const replay = await call<{ outcome: string; replays: unknown[] }>(
			`/logs/${failure?.id}/replay`,
			{ method: "POST" },
		);
		expect(replay.body).toMatchObject({ outcome: "failure", replays: [expect.anything()] });
		const after = await call<ListBody<UnresolvedJson>>("/unresolved?cause=unparseable");
		expect(after.body.data.filter((row) => row.first_log_id === failure?.id)).toHaveLength(1);
		expect(after.body.data).toHaveLength(body.data.length);
	});
});

describe("plain-words reasons on the unresolved list", () => {
	it("name the Meta Page and the WhatsApp number to map", async ({ expect }) => {
		const pageId = "688812340000001";
		const leadgenId = newLeadgenId();
		await postMeta(leadgenWebhook([{ leadgenId, pageId }]));
		const { body: message, wamid } = whatsappMessage(
			{ name: "Sam", waId: "447700900555" },
			"688812349999999",
		);
		await postMeta(message);

		const { body } = await call<ListBody<UnresolvedJson>>("/unresolved?cause=unmapped&limit=200");
		expect(body.data).toContainEqual(
			expect.objectContaining({
				provider: "meta",
				external_id: leadgenId,
				routing_key: pageId,
				reason: `Meta Page ${pageId} is not mapped to a company`,
			}),
		);
		expect(body.data).toContainEqual(
			expect.objectContaining({
				provider: "whatsapp",
				external_id: wamid,
				routing_key: "688812349999999",
				reason: "WhatsApp phone number 688812349999999 is not mapped to a company",
			}),
		);
	});
});

describe("POST /api/admin/unresolved/route", () => {
	it("maps the advertiser and replays every lead it could not route, saying how many clients it made", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ name: "Route Co" });
		const advertiserId = newAdvertiserId();
		const otherAdvertiser = newAdvertiserId();
		const leadIds = await unmappedTikTok(advertiserId, 2);
		leadIds.push(...(await unmappedTikTok(advertiserId)));
		await unmappedTikTok(otherAdvertiser);
		const [first] = await openLeads(advertiserId);
		await call(`/logs/${first?.first_log_id}/replay`, { method: "POST" }); // failed before mapping

		const routed = await call<Record<string, unknown>>("/unresolved/route", {
			method: "POST",
			body: { provider: "tiktok", routing_key: advertiserId, company_id: companyId },
		});

		expect(routed.status).toBe(200);
		expect(routed.body).toMatchObject({
			integration_account: {
				company_id: companyId,
				provider: "tiktok",
				external_id: advertiserId,
			},
			mapping_created: true,
			replayed: 3,
			clients_created: 3,
			still_unresolved: 0,
		});
		expect((await clientRows({ companyId })).map((c) => c.external_id).sort()).toEqual(
			[...leadIds].sort(),
		);
		expect(await openLeads(advertiserId)).toEqual([]);
		expect(await groupOf(advertiserId)).toBeUndefined();
		expect(await openLeads(otherAdvertiser)).toHaveLength(1);

		const again = await call<Record<string, unknown>>("/unresolved/route", {
			method: "POST",
			body: { provider: "tiktok", routing_key: advertiserId, company_id: companyId },
		});
		expect(again.body).toMatchObject({ mapping_created: false, replayed: 0, clients_created: 0 });
		const elsewhere = await call("/unresolved/route", {
			method: "POST",
			body: { provider: "tiktok", routing_key: advertiserId, company_id: await seedCompany() },
		});
		expect(elsewhere.status).toBe(409);
		const nowhere = await call("/unresolved/route", {
			method: "POST",
			body: { provider: "tiktok", routing_key: otherAdvertiser, company_id: 987654 },
		});
		expect(nowhere.status).toBe(400);
		expect(await openLeads(otherAdvertiser)).toHaveLength(1);
	});

	it("says a routed Meta Page's leads are still unresolved when the Page has no token, and why", async ({
		expect,
	}) => {
		const graph = fakeGraph(() => undefined);
		const companyId = await seedCompany();
		const pageId = "688812340000002";
		const leadgenId = newLeadgenId();
		await postMeta(leadgenWebhook([{ leadgenId, pageId }]));

		const routed = await call<Record<string, unknown>>("/unresolved/route", {
			method: "POST",
			body: { provider: "meta", routing_key: pageId, company_id: companyId },
		});

		expect(routed.body).toMatchObject({
			mapping_created: true,
			replayed: 1,
			clients_created: 0,
			still_unresolved: 1,
		});
		expect(graph.calls).toEqual([]);
		const { body } = await call<ListBody<UnresolvedJson>>(
			`/unresolved?provider=meta&routing_key=${pageId}`,
		);
		expect(body.data).toEqual([
			expect.objectContaining({
				external_id: leadgenId,
				cause: "no_token",
				attempts: 2,
				reason: `Meta Page ${pageId} has no access token: install the Business Extension for it, or set the Page's token on its integration account`,
			}),
		]);
	});
});
