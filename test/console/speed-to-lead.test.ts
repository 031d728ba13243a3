// The console's speed-to-lead figures over real local D1: the overview's charts (a bar per day of
// the 7- or 30-day window, each named) with the figures and tables beside them, and a lead's page
// with its first-response time or that it still waits.
import { describe, expect, it } from "vitest";
import { seedAnsweredLead, seedCompany, seedEmployee } from "../support/factories";
import { Operator, textOf } from "../support/operator-console";

const today = () => `${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`;

/** A lead that arrived at midnight UTC today, answered `afterSeconds` later (or waiting). */
const lead = (companyId: number, employeeId: number, afterSeconds?: number) =>
	seedAnsweredLead(companyId, { at: today(), afterSeconds, employeeId, source: "webform" });

const barsOf = (html: string, chart: string) => {
	const svg = html.slice(html.indexOf(`aria-labelledby="${chart}-title`));
	return svg.slice(0, svg.indexOf("</svg>")).match(/<rect class="bar /g)?.length ?? 0;
};

describe("speed to lead in the console", () => {
	it("charts leads and first-response times per day on the overview, for 7 or 30 days", async () => {
		const companyId = await seedCompany({ name: "Speedy Dental" });
		const rep = await seedEmployee(companyId, "Rania");
		await lead(companyId, rep, 120);
		await lead(companyId, rep, 240);
		await lead(companyId, rep);
		const operator = await Operator.signIn();

		const week = await operator.get("/console");
		const text = textOf(week.html);
		expect(text).toContain("Speed to lead");
		expect(text).toMatch(/Leads 3 Waiting for a first response 1 Median first response 3 min/);
		// Every day of the window has its leads bar (zero-height on days without leads).
		expect(barsOf(week.html, "leads-per-day")).toBe(7);
		// Only today has answered leads: one p90 bar and one median bar.
		expect(barsOf(week.html, "response-per-day")).toBe(2);
		expect(week.html).toContain(
			'<title id="leads-per-day-title">Leads per day, last 7 days</title>',
		);
		expect(text).toMatch(/Rania 2 3 min 3 min 48 s/);
		expect(text).toMatch(/Website form 2 3 min 3 min 48 s/);
		expect(week.html).toMatch(/<a href="\/console\?days=7" aria-current="page">/);

		const month = await operator.get("/console?days=30");
		expect(barsOf(month.html, "leads-per-day")).toBe(30);
		expect(month.html).toMatch(/<a href="\/console\?days=30" aria-current="page">/);
		// Any other window shows the default rather than an error.
		expect(barsOf((await operator.get("/console?days=9")).html, "leads-per-day")).toBe(7);
	});

	it("shows a lead's first-response time, and that a lead without one is waiting", async () => {
		const companyId = await seedCompany();
		const rep = await seedEmployee(companyId, "Omar");
		const answered = await lead(companyId, rep, 200);
		const waiting = await lead(companyId, rep);
		const operator = await Operator.signIn();

		expect(textOf((await operator.get(`/console/leads/${answered}`)).html)).toMatch(
			/First response 3 min 20 s \(answered \d{4}-\d\d-\d\d 00:03 UTC\)/,
		);
		expect(textOf((await operator.get(`/console/leads/${waiting}`)).html)).toContain(
			"First response Waiting: no follow-up task done yet",
		);
	});
});
