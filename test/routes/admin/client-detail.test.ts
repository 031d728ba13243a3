// /api/admin/clients search (?q= by name, email or phone) and one client with its tasks, logs and
// forwards, as a website form and a forward leave them.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { call, type ListBody } from "../../support/admin-api";
import { seedClient, seedCompany, seedEmployee, seedLog } from "../../support/factories";
import { postForm } from "../../support/forms";

interface ClientDetail {
	id: number;
	full_name: string | null;
	phones: string[];
	tasks: { id: number; employee_id: number | null; status: string; note: string | null }[];
	logs: { id: number; action: string; status: string; message: string | null }[];
	forwards: { id: number; destination: string; status: string; attempts: number }[];
}

/** Ids of the clients GET /clients?q= finds in one company, newest first. */
async function searchIds(companyId: number, q: string): Promise<number[]> {
	const { body } = await call<ListBody<{ id: number }>>(
		`/clients?company_id=${companyId}&q=${encodeURIComponent(q)}`,
	);
	return body.data.map((client) => client.id);
}

describe("admin client search", () => {
	it("finds clients by part of the name, email (any case) or phone digits", async ({ expect }) => {
		const companyId = await seedCompany();
		const maya = await seedClient(companyId, {
			fullName: "Maya Thompson",
			email: "maya.t@example.com",
			phones: ["+971501234567"],
		});
		const omar = await seedClient(companyId, {
			fullName: "Omar Haddad",
			email: "omar@northwind.example",
			phones: ["+14155550123"],
		});
		await seedClient(companyId, { fullName: "100% Real_Name", email: "pct@example.com" });
		const ids = (q: string) => searchIds(companyId, q);

		expect(await ids("thomp")).toEqual([maya]);
		expect(await ids("NORTHWIND")).toEqual([omar]);
		expect(await ids("+971 50 123")).toEqual([maya]);
		expect(await ids("050 123 4567")).toEqual([maya]);
		expect(await ids("555 0123")).toEqual([omar]);
		expect(await ids("example.com")).toHaveLength(2);
		expect(await ids("0%")).toHaveLength(1);
		expect(await ids("a_N")).toEqual([]);
		expect(await ids("nobody here")).toEqual([]);
		expect((await call("/clients?q=a")).status).toBe(400);
	});

	it("finds an email holding digits by the email alone, never by those digits in a phone", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const sara = await seedClient(companyId, {
			fullName: "Sara Nasser",
			email: "sara.2024@example.com",
			phones: ["+971502024000"],
		});
		// The email's digits "2024" are inside her phone and inside another lead's.
		await seedClient(companyId, { fullName: "Kareem Adel", phones: ["+971552024111"] });

		expect(await searchIds(companyId, "sara.2024@example.com")).toEqual([sara]);
	});

	it("finds a name with its accents ignored, and a name changed after it was stored", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const zoe = await seedClient(companyId, { fullName: "Zoë Émile" });
		const unnamed = await seedClient(companyId, { email: "later@example.com" });
		await env.DB.prepare("UPDATE clients SET full_name = 'Rashid Karim' WHERE id = ?")
			.bind(unnamed)
			.run();

		expect(await searchIds(companyId, "zoe emi")).toEqual([zoe]);
		expect(await searchIds(companyId, "rashid")).toEqual([unnamed]);
	});
});

describe("admin client detail", () => {
	it("returns the client with its phones, tasks, logs and forwards", async ({ expect }) => {
		const companyId = await seedCompany({ autoAssign: true, defaultCountry: "AE" });
		const rep = await seedEmployee(companyId, "Ana");
		await postForm(companyId, { name: "Lina Saleh", email: "lina@example.com" });
		await postForm(
			companyId,
			{ phone: "0507654321", email: "lina@example.com", message: "Call after 5" },
			{ headers: { "Idempotency-Key": "second-visit" } },
		);
		const [{ id } = { id: 0 }] = (
			await call<ListBody<{ id: number }>>(`/clients?company_id=${companyId}`)
		).body.data;
		await env.DB.prepare(
			"INSERT INTO forwards (client_id, company_id, destination, status, attempts) VALUES (?, ?, 'salesforce', 'retry', 2)",
		)
			.bind(id, companyId)
			.run();
		await seedLog({ companyId, status: "success", externalId: "someone-else" });

		const { status, body } = await call<ClientDetail>(`/clients/${id}`);

		expect(status).toBe(200);
		expect(body).toMatchObject({ id, full_name: "Lina Saleh", phones: ["+971507654321"] });
		expect(body.tasks.map((t) => [t.employee_id, t.status, t.note])).toEqual([
			[rep, "open", "Website form submission"],
			[rep, "open", "Website form: Call after 5"],
		]);
		expect(body.logs.map((l) => [l.action, l.status, l.message])).toEqual([
			["form_submission_received", "success", `client ${id} updated`],
			["form_submission_received", "success", `client ${id} created`],
		]);
		expect(body.forwards).toEqual([
			expect.objectContaining({ destination: "salesforce", status: "retry", attempts: 2 }),
		]);
	});
});
