// The reassignment's compare-and-set: a second change made from the same reading (a redelivered
// queue message, an overlapping cron run that chose differently) changes nothing and tells nobody.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { createDb } from "../../src/storage/db";
import { reassignLead } from "../../src/storage/lead-sla";
import { seedEmployee } from "../support/factories";
import { FakeNotifyWorld } from "../support/fake-notify";
import {
	clientState,
	notificationRows,
	notifyingCompany,
	postLead,
} from "../support/notifications";

describe("reassignLead", () => {
	it("changes the lead once for one reading of its assignee and round", async ({ expect }) => {
		new FakeNotifyWorld().install();
		const company = await notifyingCompany({
			sla_minutes: 15,
			escalate_after: 0,
			reminder_hours: 0,
		});
		const cara = await seedEmployee(company.companyId, "Cara");
		const clientId = await postLead(company.companyId);
		const db = createDb(env.DB);
		const reading = { clientId, from: company.ana, round: 0, now: new Date() };

		expect(await reassignLead(db, { ...reading, to: company.ben })).toBe("changed");
		const rows = (await notificationRows(clientId)).length;
		expect(await reassignLead(db, { ...reading, to: company.ben })).toBe("stale");
		expect(await reassignLead(db, { ...reading, to: cara })).toBe("stale");

		expect(await clientState(clientId)).toMatchObject({ assignee: company.ben, reassignments: 1 });
		expect(await notificationRows(clientId)).toHaveLength(rows);
		// The next round, read afresh, moves it on.
		expect(await reassignLead(db, { ...reading, from: company.ben, round: 1, to: cara })).toBe(
			"changed",
		);
		expect(await clientState(clientId)).toMatchObject({ assignee: cara, reassignments: 2 });
	});
});
