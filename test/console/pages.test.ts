// Console pages over real local D1: each shows what is stored, forms show the API's validation
// errors next to their fields, and actions (replay, retry, test lead, Salesforce) change the same
// rows the operator API would.
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import {
	clientRows,
	count,
	logRows,
	rowById,
	seedAccount,
	seedClient,
	seedCompany,
	seedEmployee,
	seedLog,
} from "../support/factories";
import {
	FAKE_CONSUMER_KEY,
	FAKE_CONSUMER_SECRET,
	FAKE_REFRESH_TOKEN,
	FakeSalesforce,
} from "../support/fake-salesforce";
import { Operator, textOf } from "../support/operator-console";
import { postTikTok } from "../support/requests";
import { forwardRows, putConnection } from "../support/salesforce";
import { newLeadId, tiktokWebhook } from "../support/tiktok-bodies";

describe("overview", () => {
	it("counts new leads per company and source, and links the unresolved leads", async () => {
		const companyId = await seedCompany({ name: "مركز الشفاء Overview" });
		await seedClient(companyId, { source: "tiktok" });
		await seedClient(companyId, { source: "tiktok" });
		await seedClient(companyId, { source: "webform" });
		const advertiserId = "7398120456722220001";
		await postTikTok(tiktokWebhook([{ leadId: newLeadId(), advertiserId }]));
		const operator = await Operator.signIn();
		const page = await operator.get("/console");
		expect(page.status).toBe(200);
		const text = textOf(page.html);
		expect(text).toMatch(/مركز الشفاء Overview TikTok 2 2/);
		expect(text).toMatch(/مركز الشفاء Overview Website form 1 1/);
		expect(text).toContain(
			`1 unresolved lead — TikTok advertiser ${advertiserId} is not mapped to a company`,
		);
		expect(page.html).toContain(
			`href="/console/unresolved?provider=tiktok&amp;cause=unmapped&amp;routing_key=${advertiserId}#leads"`,
		);
		expect(page.html).toMatch(
			/<td dir="auto"><a href="\/console\/leads\?company_id=\d+">مركز الشفاء/,
		);
	});
});

describe("unresolved", () => {
	it("groups leads by cause with counts, keeps a lead whose replay failed, and routes the advertiser in one step", async () => {
		const companyId = await seedCompany({ name: "Route Console Co" });
		const advertiserId = "7398120456722220002";
		const leadIds = [newLeadId(), newLeadId()];
		await postTikTok(tiktokWebhook(leadIds.map((leadId) => ({ leadId, advertiserId }))));
		const failure = (await logRows()).find((row) => row.external_id === leadIds[0]);
		const operator = await Operator.signIn();
		const replayed = await operator.follow(
			await operator.post(`/console/receipts/${failure?.id}/replay`, {}),
		);
		expect(textOf(replayed.html)).toContain(
			`Replayed: failure — 0 created, 0 duplicates, 1 failed (TikTok advertiser ${advertiserId} is not mapped to a company)`,
		);

		const list = await operator.get("/console/unresolved");
		const text = textOf(list.html);
		expect(text).toMatch(/Not routed to a company \(\d+\)/);
		expect(text).toContain(
			`2 leads : TikTok advertiser ${advertiserId} is not mapped to a company`,
		);
		expect(list.html).toContain(`Route TikTok advertiser ${advertiserId} to`);

		const routed = await operator.follow(
			await operator.post("/console/unresolved/route", {
				provider: "tiktok",
				routing_key: advertiserId,
				company_id: String(companyId),
			}),
		);
		expect(textOf(routed.html)).toContain(
			`Routed TikTok advertiser ${advertiserId} to Route Console Co. Replayed 2 leads: 2 clients created.`,
		);
		expect(textOf(routed.html)).not.toContain(`TikTok advertiser ${advertiserId} is not mapped`);
		expect((await clientRows({ companyId })).map((c) => c.external_id).sort()).toEqual(
			[...leadIds].sort(),
		);
	});

	it("dismisses a lead with a reason and refuses one without", async () => {
		const advertiserId = "7398120456722220003";
		await postTikTok(tiktokWebhook([{ leadId: newLeadId(), advertiserId }]));
		const operator = await Operator.signIn();
		const list = await operator.get(
			`/console/unresolved?provider=tiktok&routing_key=${advertiserId}`,
		);
		const id = /action="\/console\/unresolved\/(\d+)\/dismiss"/.exec(list.html)?.[1];
		expect(id).toBeDefined();

		const refused = await operator.follow(
			await operator.post(`/console/unresolved/${id}/dismiss`, { reason: "" }),
		);
		expect(textOf(refused.html)).toContain("Not dismissed: say why the lead is dismissed");
		const dismissed = await operator.follow(
			await operator.post(`/console/unresolved/${id}/dismiss`, { reason: "agency test" }),
		);
		expect(textOf(dismissed.html)).toContain("Dismissed");
		expect(dismissed.html).not.toContain(`TikTok advertiser ${advertiserId} is not mapped`);
	});
});

describe("leads", () => {
	it("finds a lead by its phone typed in the company's local format", async () => {
		const companyId = await seedCompany({ name: "Dubai Smiles", defaultCountry: "AE" });
		const rep = await seedEmployee(companyId, "Ana");
		const leadId = await seedClient(companyId, {
			fullName: "Layla Haddad",
			phones: ["+971501234567"],
			assignedEmployeeId: rep,
			answers: JSON.stringify([{ name: "preferred_time", values: ["evening"] }]),
		});
		await seedClient(companyId, { fullName: "Other Lead", phones: ["+971509999999"] });
		const operator = await Operator.signIn();
		const found = await operator.get(
			`/console/leads?q=${encodeURIComponent("050 123 4567")}&company_id=${companyId}`,
		);
		expect(found.status).toBe(200);
		expect(textOf(found.html)).toContain("Layla Haddad +971501234567");
		expect(textOf(found.html)).not.toContain("Other Lead");

		const detail = textOf((await operator.get(`/console/leads/${leadId}`)).html);
		expect(detail).toContain("Phones +971501234567");
		expect(detail).toContain("Assigned rep Ana");
		expect(detail).toContain("preferred_time evening");
	});

	it("shows the API's validation error next to the search field", async () => {
		const operator = await Operator.signIn();
		const page = await operator.get("/console/leads?q=a&since=yesterday");
		expect(page.html).toMatch(/<span class="field-error" id="f-q-error">[^<]+2[^<]*<\/span>/);
		expect(page.html).toContain('id="f-since-error"');
		expect(page.html).toMatch(/id="f-q"[^>]*aria-invalid="true"/);
	});

	it("pages through results with empty states", async () => {
		const companyId = await seedCompany({ name: "Paging Co" });
		for (let i = 0; i < 27; i++) await seedClient(companyId, { fullName: `Pager ${i}` });
		const operator = await Operator.signIn();
		const first = await operator.get(`/console/leads?company_id=${companyId}`);
		expect(first.html.match(/<tr>/g)?.length).toBe(26); // header + 25 leads
		const next = /href="(\/console\/leads\?company_id=\d+&amp;cursor=[^"]+)"/.exec(first.html)?.[1];
		expect(next).toBeDefined();
		const second = await operator.get((next ?? "").replace(/&amp;/g, "&"));
		expect(textOf(second.html)).toContain("Pager 1");
		expect(textOf(second.html)).toContain("First page");
		const none = await operator.get(`/console/leads?company_id=${companyId}&q=nobody-here`);
		expect(textOf(none.html)).toContain("No lead matches this search.");
	});
});

describe("companies", () => {
	it("shows field errors from the API's schema and creates nothing", async () => {
		const operator = await Operator.signIn();
		const before = await count("companies");
		const result = await operator.post("/console/companies", { name: "  ", default_country: "ZZ" });
		expect(result.status).toBe(400);
		expect(result.html).toMatch(/id="new-name-error">[^<]+</);
		expect(result.html).toMatch(
			/id="new-country-error">not a country code with a phone numbering plan</,
		);
		expect(result.html).toMatch(/id="new-country"[^>]*value="ZZ"/);
		expect(await count("companies")).toBe(before);
	});

	it("creates and edits a company, adds and deactivates reps, maps an account", async () => {
		const operator = await Operator.signIn();
		const created = await operator.post("/console/companies", {
			name: "Clinique Étoile",
			default_country: "fr",
			auto_assign: "on",
		});
		expect(created.status).toBe(303);
		const id = Number(created.location?.split("/").at(-1));
		expect(await rowById("companies", id)).toMatchObject({
			name: "Clinique Étoile",
			default_country: "FR",
			auto_assign: 1,
		});
		expect(textOf((await operator.follow(created)).html)).toContain(
			"Company Clinique Étoile created.",
		);

		await operator.post(`/console/companies/${id}`, {
			name: "Clinique Étoile Paris",
			default_country: "FR",
		});
		expect(await rowById("companies", id)).toMatchObject({
			name: "Clinique Étoile Paris",
			auto_assign: 0,
		});

		const badRep = await operator.post(`/console/companies/${id}/reps`, {
			name: "Zoé",
			email: "not-an-email",
		});
		expect(badRep.status).toBe(400);
		expect(badRep.html).toMatch(/id="rep-email-error">[^<]+</);
		await operator.post(`/console/companies/${id}/reps`, { name: "Zoé", email: "zoe@example.com" });
		const rep = await env.DB.prepare("SELECT id, is_active FROM employees WHERE company_id = ?")
			.bind(id)
			.first<{ id: number; is_active: number }>();
		expect(rep?.is_active).toBe(1);
		await operator.post(`/console/companies/${id}/reps/${rep?.id}`, { is_active: "false" });
		expect(await rowById("employees", rep?.id ?? 0)).toMatchObject({ is_active: 0 });

		const mapped = await operator.post(`/console/companies/${id}/accounts`, {
			provider: "tiktok",
			name: "Ads",
			external_id: "7398120456712340987",
		});
		expect(mapped.status).toBe(303);
		const other = await seedCompany({ name: "Other owner" });
		const taken = await operator.post(`/console/companies/${other}/accounts`, {
			provider: "tiktok",
			name: "Ads again",
			external_id: "7398120456712340987",
		});
		expect(taken.status).toBe(400);
		expect(textOf(taken.html)).toContain(
			"tiktok external_id 7398120456712340987 is already mapped",
		);
	});

	it("shows ready-to-paste webhook URLs with a copy target", async () => {
		const id = await seedCompany({ name: "URL Co" });
		const operator = await Operator.signIn();
		const page = await operator.get(`/console/companies/${id}`);
		expect(page.html).toContain(
			`<code data-copy="TikTok Lead Gen URL" id="url-tiktok">https://relay.test/api/integrations/webhooks/tiktok-leadgen/?company_id=${id}</code>`,
		);
	});

	it("sends a signed test lead through the real webhook and links to the lead", async () => {
		const id = await seedCompany({ name: "Test Lead Co", autoAssign: true });
		await seedEmployee(id, "Rita");
		const operator = await Operator.signIn();
		const sent = await operator.post(`/console/companies/${id}/test-lead`, {});
		expect(sent.status).toBe(303);
		expect(sent.location).toMatch(/^\/console\/leads\/\d+$/);
		const clientId = Number(sent.location?.split("/").at(-1));
		expect(await rowById("clients", clientId)).toMatchObject({
			company_id: id,
			full_name: "Test Lead",
		});
		const log = await env.DB.prepare(
			"SELECT status, action FROM integration_logs WHERE company_id = ? AND action = 'tiktok_lead_received'",
		)
			.bind(id)
			.first();
		expect(log).toEqual({ status: "success", action: "tiktok_lead_received" });
		const page = textOf((await operator.follow(sent)).html);
		expect(page).toMatch(/Test lead \d{19} arrived through the TikTok webhook \(HTTP 200\)/);
		expect(page).toContain("Assigned rep Not assigned (test leads take no turn)");
	});
});

describe("Salesforce connection", () => {
	it("refuses a plain-http login URL unless SALESFORCE_ALLOW_LOOPBACK_HTTP, and never shows secrets", async () => {
		const id = await seedCompany({ name: "SF Co" });
		const fields = {
			login_url: "http://127.0.0.1:9999",
			consumer_key: FAKE_CONSUMER_KEY,
			consumer_secret: FAKE_CONSUMER_SECRET,
			refresh_token: FAKE_REFRESH_TOKEN,
			target_object: "Lead",
		};
		const strict = await Operator.signIn();
		const refused = await strict.post(`/console/companies/${id}/salesforce`, fields);
		expect(refused.status).toBe(400);
		expect(refused.html).toMatch(/id="sf-login-error">must be an https Salesforce login URL/);
		expect(refused.html).not.toContain(FAKE_CONSUMER_SECRET);
		const elsewhere = await strict.post(`/console/companies/${id}/salesforce`, {
			...fields,
			login_url: "http://evil.example.com",
		});
		expect(elsewhere.status).toBe(400);

		const local = await Operator.signIn({ SALESFORCE_ALLOW_LOOPBACK_HTTP: "true" });
		const outside = await local.post(`/console/companies/${id}/salesforce`, {
			...fields,
			login_url: "http://10.0.0.5:8080",
		});
		expect(outside.status).toBe(400);
		const saved = await local.post(`/console/companies/${id}/salesforce`, fields);
		expect(saved.status).toBe(303);
		const page = await local.follow(saved);
		expect(textOf(page.html)).toContain("Salesforce connected.");
		expect(textOf(page.html)).toContain("consumer key set, secret set, refresh token set");
		expect(page.html).not.toContain(FAKE_CONSUMER_SECRET);
		expect(page.html).not.toContain(FAKE_REFRESH_TOKEN);
	});

	it("tests the connection with the real token grant", async () => {
		const org = new FakeSalesforce().install();
		const id = await seedCompany({ name: "SF Test Co" });
		await putConnection(id);
		const operator = await Operator.signIn();
		const ok = await operator.follow(
			await operator.post(`/console/companies/${id}/salesforce/test`, {}),
		);
		expect(textOf(ok.html)).toMatch(/Salesforce test: token grant succeeded/);
		expect(org.tokenCalls()).toHaveLength(1);
		org.revokeRefreshTokens();
		const refused = await operator.follow(
			await operator.post(`/console/companies/${id}/salesforce/test`, {}),
		);
		expect(textOf(refused.html)).toContain("Salesforce refused the grant: invalid_grant");
		expect(textOf(refused.html)).toMatch(/needs_reauthorisation \(invalid_grant/);
	});
});

describe("receipts and forwards", () => {
	it("replays a failed receipt through the API's replay and shows the outcome", async () => {
		const companyId = await seedCompany({ name: "Replay Co" });
		const advertiser = "7398120456712340999";
		const leadId = newLeadId();
		const payload = tiktokWebhook([{ leadId, advertiserId: advertiser, name: "Replayed Lead" }]);
		const logId = await seedLog({
			status: "failure",
			message: "no company_id",
			payload,
			externalId: leadId,
		});
		const operator = await Operator.signIn();
		const before = await operator.get(`/console/receipts/${logId}`);
		expect(textOf(before.html)).toContain("no company_id");
		expect(before.html).toContain(`action="/console/receipts/${logId}/replay"`);
		await seedAccount(companyId, advertiser);
		const replayed = await operator.follow(
			await operator.post(`/console/receipts/${logId}/replay`, {}),
		);
		expect(textOf(replayed.html)).toMatch(/Replayed: created — 1 created, 0 duplicates, 0 failed/);
		const client = await env.DB.prepare(
			"SELECT company_id, full_name FROM clients WHERE external_id = ?",
		)
			.bind(leadId)
			.first();
		expect(client).toEqual({ company_id: companyId, full_name: "Replayed Lead" });
		expect(await rowById("integration_logs", logId)).toMatchObject({ replay_outcome: "created" });
		const again = await operator.follow(
			await operator.post(`/console/receipts/${logId}/replay`, {}),
		);
		expect(textOf(again.html)).toMatch(/Replayed: duplicate/);
	});

	it("filters receipts by status and provider", async () => {
		await seedLog({
			status: "failure",
			provider: "webform",
			action: "form_submission_received",
			message: "form failure here",
		});
		await seedLog({ status: "success", provider: "tiktok", message: "tiktok success here" });
		const operator = await Operator.signIn();
		const text = textOf(
			(await operator.get("/console/receipts?status=failure&provider=webform")).html,
		);
		expect(text).toContain("form failure here");
		expect(text).not.toContain("tiktok success here");
	});

	it("retries a failed forward now and all of a company's", async () => {
		const org = new FakeSalesforce().install();
		const companyId = await seedCompany({ name: "Retry Co" });
		await putConnection(companyId);
		const first = await seedClient(companyId, { fullName: "First" });
		const second = await seedClient(companyId, { fullName: "Second" });
		await env.DB.batch(
			[first, second].map((clientId) =>
				env.DB.prepare(
					"INSERT INTO forwards (client_id, company_id, destination, status, attempts, last_error_code) VALUES (?, ?, 'salesforce', 'failed', 3, 'REQUIRED_FIELD_MISSING')",
				).bind(clientId, companyId),
			),
		);
		const operator = await Operator.signIn();
		const list = await operator.get(`/console/forwards?status=failed&company_id=${companyId}`);
		expect(textOf(list.html)).toContain("REQUIRED_FIELD_MISSING");
		const [forward] = (await forwardRows(companyId)).filter((row) => row.client_id === first);
		const retried = await operator.post(`/console/forwards/${forward?.id}/retry`, {});
		expect(retried.status).toBe(303);
		// Sent at once (waitUntil), as the API's retry does: the org receives it and the row settles.
		await vi.waitFor(
			async () => {
				const after = (await forwardRows(companyId)).find((row) => row.id === forward?.id);
				expect(after).toMatchObject({ status: "succeeded", remote_id: expect.any(String) });
			},
			{ timeout: 5000, interval: 100 },
		);
		expect(org.sentRecords()).toHaveLength(1);

		const all = await operator.follow(
			await operator.post("/console/forwards/retry", { company_id: String(companyId) }),
		);
		expect(textOf(all.html)).toMatch(/1 forward queued again/);
		expect((await forwardRows(companyId)).every((row) => row.status !== "failed")).toBe(true);
		const notFailed = await operator.follow(
			await operator.post(`/console/forwards/${forward?.id}/retry`, {}),
		);
		expect(textOf(notFailed.html)).toContain(`forward ${forward?.id} is not failed or dead`);
	});
});
