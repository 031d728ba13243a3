// What `wrangler tail` shows: one JSON object per line with request id, provider, action, outcome and
// ids — and never the secret, a phone, an email, a name or the raw body.
import { describe, it } from "vitest";
import { captureConsole } from "../support/console";
import { seedCompany } from "../support/factories";
import { postTikTok } from "../support/requests";
import { TEST_TIKTOK_APP_SECRET } from "../support/secrets";
import { newLeadId, tiktokWebhook } from "../support/tiktok-bodies";

describe("tail log lines", () => {
	it("are JSON objects with ids and outcomes and no personal data or secrets", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const leadId = newLeadId();
		const pii = { name: "Zara Quinlan", phone: "+971501112233", email: "zara.quinlan@example.com" };
		const lines = captureConsole();

		await postTikTok(tiktokWebhook([{ leadId, ...pii }]), { query: `?company_id=${companyId}` });
		await postTikTok(tiktokWebhook([{ leadId, ...pii }]), {
			query: `?company_id=${companyId}`,
			signature: "0".repeat(64),
		});
		await postTikTok(`{"broken": "${pii.email}"`, { query: `?company_id=${companyId}` });

		// One line per delivery: a single-lead delivery carries its lead's ids on its summary line.
		expect(lines).toHaveLength(3);
		const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
		for (const record of records) expect(record).toHaveProperty("requestId");
		expect(records).toContainEqual(
			expect.objectContaining({
				provider: "tiktok",
				action: "tiktok_lead_received",
				outcome: "created",
				leadId,
				companyId,
			}),
		);
		expect(records).toContainEqual(
			expect.objectContaining({ outcome: "failure", reason: "invalid signature" }),
		);
		const everything = lines.join("\n");
		for (const secret of [
			pii.name,
			pii.phone,
			pii.phone.slice(1),
			pii.email,
			TEST_TIKTOK_APP_SECRET,
			"broken",
		]) {
			expect(everything).not.toContain(secret);
		}
	});
});
