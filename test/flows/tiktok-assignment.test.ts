// Round-robin: new clients go to the company's active reps in turn, fairly even under concurrency.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { clientRows, seedCompany, seedEmployee } from "../support/factories";
import { postTikTok } from "../support/requests";
import { newLeadId, tiktokWebhook } from "../support/tiktok-bodies";

async function assignedInOrder(companyId: number): Promise<(number | null)[]> {
	return (await clientRows({ companyId })).map((client) => client.assigned_employee_id);
}

async function sendOne(companyId: number) {
	const response = await postTikTok(tiktokWebhook([{ leadId: newLeadId() }]), {
		query: `?company_id=${companyId}`,
	});
	if (response.status !== 200) throw new Error(`delivery failed: ${response.status}`);
}

describe("round-robin assignment", () => {
	it("gives 9 leads to 3 reps in rotation, 3 each", async ({ expect }) => {
		const companyId = await seedCompany({ autoAssign: true });
		const [a, b, c] = [
			await seedEmployee(companyId, "Ana"),
			await seedEmployee(companyId, "Ben"),
			await seedEmployee(companyId, "Cy"),
		];

		for (let i = 0; i < 9; i++) await sendOne(companyId);

		expect(await assignedInOrder(companyId)).toEqual([a, b, c, a, b, c, a, b, c]);
	});

	it("skips a deactivated rep", async ({ expect }) => {
		const companyId = await seedCompany({ autoAssign: true });
		const a = await seedEmployee(companyId, "Ana");
		const b = await seedEmployee(companyId, "Ben", false);
		const c = await seedEmployee(companyId, "Cy");

		for (let i = 0; i < 6; i++) await sendOne(companyId);

		const assigned = await assignedInOrder(companyId);
		expect(assigned).not.toContain(b);
		expect(assigned.filter((id) => id === a)).toHaveLength(3);
		expect(assigned.filter((id) => id === c)).toHaveLength(3);
	});

	it("stays fair when deliveries arrive concurrently", async ({ expect }) => {
		const companyId = await seedCompany({ autoAssign: true });
		const reps = [
			await seedEmployee(companyId, "Ana"),
			await seedEmployee(companyId, "Ben"),
			await seedEmployee(companyId, "Cy"),
		];

		await Promise.all(Array.from({ length: 9 }, () => sendOne(companyId)));

		const assigned = await assignedInOrder(companyId);
		for (const rep of reps) expect(assigned.filter((id) => id === rep)).toHaveLength(3);
	});

	it("rotates within one batch and carries the turn to the next delivery", async ({ expect }) => {
		const companyId = await seedCompany({ autoAssign: true });
		const a = await seedEmployee(companyId, "Ana");
		const b = await seedEmployee(companyId, "Ben");

		await postTikTok(
			tiktokWebhook([{ leadId: newLeadId() }, { leadId: newLeadId() }, { leadId: newLeadId() }]),
			{
				query: `?company_id=${companyId}`,
			},
		);
		await sendOne(companyId);

		expect(await assignedInOrder(companyId)).toEqual([a, b, a, b]);
	});

	it("leaves clients unassigned when auto-assign is off or nobody is active", async ({
		expect,
	}) => {
		const manual = await seedCompany({ autoAssign: false });
		await seedEmployee(manual, "Ana");
		const empty = await seedCompany({ autoAssign: true });
		await seedEmployee(empty, "Gone", false);

		await sendOne(manual);
		await sendOne(empty);

		expect(await assignedInOrder(manual)).toEqual([null]);
		expect(await assignedInOrder(empty)).toEqual([null]);
		const counter = await env.DB.prepare(
			"SELECT assignment_counter AS n FROM companies WHERE id = ?",
		)
			.bind(empty)
			.first<{ n: number }>();
		expect(counter?.n).toBe(0);
	});
});
