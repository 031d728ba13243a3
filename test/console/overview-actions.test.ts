// The overview's "needs action" list from real flows: a Page whose token Graph rejected (a Meta lead
// read that failed with code 190), a dead Salesforce forward and an FBE uninstall, each linked.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { seedClient, seedCompany } from "../support/factories";
import { fakeGraph, leadIdOf, tokenRevoked } from "../support/fake-graph";
import { leadgenWebhook, newLeadgenId, runCron, seedPage } from "../support/meta";
import { Operator, textOf } from "../support/operator-console";
import { postMeta } from "../support/requests";

const HOUR_MS = 3_600_000;

describe("overview: needs action", () => {
	it("lists a Page whose token was rejected, dead forwards and FBE uninstalls, with links", async () => {
		const companyId = await seedCompany({ name: "Needs Action Co" });
		await seedPage(companyId, "600000000000077", "EAAGrevokedPageToken0000");
		fakeGraph((call) => (leadIdOf(call) ? tokenRevoked() : undefined));
		await postMeta(leadgenWebhook([{ leadgenId: newLeadgenId(), pageId: "600000000000077" }]));
		await runCron(new Date(Date.now() + 24 * HOUR_MS));

		const clientId = await seedClient(companyId);
		await env.DB.prepare(
			"INSERT INTO forwards (client_id, company_id, destination, status, attempts) VALUES (?, ?, 'salesforce', 'dead', 11)",
		)
			.bind(clientId, companyId)
			.run();
		await env.DB.prepare(
			"INSERT INTO fbe_installs (business_id, company_id, status, uninstalled_at) VALUES ('fbe-business-77', ?, 'uninstalled', '2026-12-01T10:00:00.000Z')",
		)
			.bind(companyId)
			.run();

		const operator = await Operator.signIn();
		const page = await operator.get("/console");
		const text = textOf(page.html);
		expect(text).toMatch(
			/Page 600000000000077: access token rejected \(1 lead read failed\) — Needs Action Co/,
		);
		expect(text).toContain("1 dead Salesforce forward — Needs Action Co");
		expect(text).toContain("Business fbe-business-77 uninstalled Facebook Business Extension");
		expect(page.html).toContain(`href="/console/forwards?status=dead&amp;company_id=${companyId}"`);
		expect(page.html).toContain(`href="/console/companies/${companyId}"`);
	});
});
