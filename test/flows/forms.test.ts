// Website forms end to end: JSON, urlencoded and multipart; the same person updates one client
// (matched by email or E.164 phone) and every submission opens a follow-up task; idempotency,
// honeypot, size limit, redirect, missing company and D1 outages.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { unavailableD1 } from "../support/d1-wrappers";
import {
	clientRows,
	count,
	logRows,
	seedClient,
	seedCompany,
	seedEmployee,
} from "../support/factories";
import { type Encoding, FORMS_PATH, postForm, taskRows } from "../support/forms";
import { fetchWithEnv } from "../support/requests";

async function lastLog() {
	return (await logRows()).at(-1);
}

async function companyWithReps() {
	const companyId = await seedCompany({ autoAssign: true, defaultCountry: "AE" });
	const ana = await seedEmployee(companyId, "Ana");
	const ben = await seedEmployee(companyId, "Ben");
	return { companyId, ana, ben };
}

describe("website forms: file uploads", () => {
	it("stores each file's field, name and size in the answers, never its contents", async ({
		expect,
	}) => {
		const { companyId } = await companyWithReps();
		const form = new FormData();
		form.append("name", "Lina Saleh");
		form.append("email", "lina@example.com");
		const contents = "%PDF-1.7 confidential resume of Lina Saleh";
		form.append("cv", new File([contents], "lina-cv.pdf", { type: "application/pdf" }));
		form.append("photos", new File(["\xff\xd8 jpeg bytes"], "a.jpg", { type: "image/jpeg" }));
		form.append("photos", new File(["png"], "b.png", { type: "image/png" }));
		// An untouched file input: browsers send an empty part with filename="" (workerd reads it as "").
		form.append("cover_letter", new File([], ""));

		const response = await fetchWithEnv({}, `${FORMS_PATH}?company_id=${companyId}`, {
			method: "POST",
			body: form,
		});

		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ outcome: "created" });
		const [client] = await clientRows({ companyId });
		const answers = JSON.parse(client?.answers ?? "[]");
		expect(answers).toEqual([
			{ name: "name", values: ["Lina Saleh"] },
			{ name: "email", values: ["lina@example.com"] },
			{ name: "cv", values: [JSON.stringify({ filename: "lina-cv.pdf", size: contents.length })] },
			{
				name: "photos",
				values: [
					JSON.stringify({ filename: "a.jpg", size: new Blob(["\xff\xd8 jpeg bytes"]).size }),
					JSON.stringify({ filename: "b.png", size: 3 }),
				],
			},
			{ name: "cover_letter", values: [""] },
		]);
		const stored = JSON.stringify(await env.DB.prepare("SELECT * FROM clients").all());
		expect(stored).not.toContain("confidential resume");
	});

	it("keeps the file's name and size (no contents) in a failed submission's replay payload", async ({
		expect,
	}) => {
		const form = new FormData();
		form.append("note", "no contact field");
		form.append("cv", new File(["secret contents"], "cv.pdf"));

		const response = await fetchWithEnv({}, `${FORMS_PATH}?company_id=${await seedCompany()}`, {
			method: "POST",
			body: form,
		});

		expect(response.status).toBe(400);
		const log = await lastLog();
		expect(JSON.parse(log?.payload ?? "{}").fields).toContainEqual({
			name: "cv",
			values: ['{"filename":"cv.pdf","size":15}'],
		});
		expect(log?.payload).not.toContain("secret contents");
	});
});

describe("website forms: encodings", () => {
	const encodings: Encoding[] = ["json", "urlencoded", "multipart"];
	for (const encoding of encodings) {
		it(`creates a webform client from a ${encoding} submission, keeping every field`, async ({
			expect,
		}) => {
			const { companyId, ana } = await companyWithReps();

			const response = await postForm(
				companyId,
				{
					first_name: "Maya",
					last_name: "Thompson",
					"E-mail": "Maya.Thompson@Example.com",
					phone: "050 123 4567",
					company: "Northwind Traders",
					message: "Please call me about implants",
					utm_source: "google",
				},
				{ encoding },
			);

			expect(response.status).toBe(200);
			expect(await response.json()).toMatchObject({ ok: true, outcome: "created" });
			const [client] = await clientRows({ companyId });
			expect(client).toMatchObject({
				source: "webform",
				full_name: "Maya Thompson",
				email: "maya.thompson@example.com",
				phones: "+971501234567",
				assigned_employee_id: ana,
			});
			const answers = JSON.parse(client?.answers ?? "[]");
			expect(answers).toContainEqual({ name: "utm_source", values: ["google"] });
			expect(answers).toContainEqual({ name: "company", values: ["Northwind Traders"] });
			const [task] = await taskRows(client?.id);
			expect(task).toMatchObject({
				employee_id: ana,
				status: "open",
				note: "Website form: Please call me about implants",
				completed_at: null,
			});
			const dueInMinutes = (Date.parse(task?.due_at ?? "") - Date.now()) / 60_000;
			expect(dueInMinutes).toBeGreaterThan(55);
			expect(dueInMinutes).toBeLessThanOrEqual(60);
			expect(await lastLog()).toMatchObject({
				provider: "webform",
				action: "form_submission_received",
				status: "success",
				message: `client ${client?.id} created`,
				company_id: companyId,
			});
		});
	}

	it("answers on the path without the trailing slash too", async ({ expect }) => {
		const { companyId } = await companyWithReps();
		const response = await postForm(
			companyId,
			{ email: "noslash@example.com" },
			{ path: FORMS_PATH.slice(0, -1) },
		);
		expect(response.status).toBe(200);
		expect(await clientRows({ companyId })).toHaveLength(1);
	});
});

describe("website forms: the same person again", () => {
	it("updates one client (once by email, once by phone) and opens two tasks", async ({
		expect,
	}) => {
		const { companyId, ana } = await companyWithReps();

		const first = await postForm(companyId, {
			name: "Maya Thompson",
			email: "maya@example.com",
			phone: "+971501234567",
		});
		const second = await postForm(
			companyId,
			{ name: "M. Thompson", phone: "0501234567", message: "Still interested" },
			{ encoding: "urlencoded" },
		);

		expect(await first.json()).toMatchObject({ outcome: "created" });
		expect(await second.json()).toMatchObject({ outcome: "updated" });
		const clients = await clientRows({ companyId });
		expect(clients).toHaveLength(1);
		expect(clients[0]).toMatchObject({ full_name: "Maya Thompson", email: "maya@example.com" });
		const tasks = await taskRows(clients[0]?.id);
		expect(tasks.map((task) => [task.employee_id, task.status, task.note])).toEqual([
			[ana, "open", "Website form submission"],
			[ana, "open", "Website form: Still interested"],
		]);
		expect(await lastLog()).toMatchObject({
			status: "success",
			message: `client ${clients[0]?.id} updated`,
		});
	});

	it("matches by lower-cased email, fills missing fields and adds a new phone", async ({
		expect,
	}) => {
		const { companyId } = await companyWithReps();
		const existing = await seedClient(companyId, {
			fullName: null,
			email: "omar@example.com",
			phones: ["+971501112222"],
		});

		const response = await postForm(
			companyId,
			{ full_name: "Omar Haddad", email: "OMAR@example.com", phone: "050 333 4444" },
			{ encoding: "multipart" },
		);

		expect(await response.json()).toMatchObject({ outcome: "updated" });
		expect(await clientRows({ companyId })).toEqual([
			expect.objectContaining({
				id: existing,
				full_name: "Omar Haddad",
				phones: "+971501112222,+971503334444",
			}),
		]);
		expect(await taskRows(existing)).toHaveLength(1);
	});

	it("never matches a client of another company", async ({ expect }) => {
		const other = await seedCompany();
		await seedClient(other, { email: "shared@example.com" });
		const { companyId } = await companyWithReps();

		await postForm(companyId, { email: "shared@example.com" });

		expect(await clientRows({ companyId })).toHaveLength(1);
		expect(await clientRows({ companyId: other })).toHaveLength(1);
	});

	it("assigns new people round-robin like every lead", async ({ expect }) => {
		const { companyId, ana, ben } = await companyWithReps();
		for (const email of ["a@example.com", "b@example.com", "c@example.com"]) {
			await postForm(companyId, { email });
		}
		expect((await clientRows({ companyId })).map((c) => c.assigned_employee_id)).toEqual([
			ana,
			ben,
			ana,
		]);
	});
});

describe("website forms: resubmits, bots and limits", () => {
	it("dedupes a resubmit by Idempotency-Key: 200 duplicate, nothing new", async ({ expect }) => {
		const { companyId } = await companyWithReps();
		const headers = { "Idempotency-Key": "checkout-7f3a" };
		const fields = { email: "idem@example.com", message: "hello" };

		const first = await postForm(companyId, fields, { headers });
		const tasksAfterFirst = await count("tasks");
		const again = await postForm(companyId, fields, { headers });

		expect(await first.json()).toMatchObject({ outcome: "created" });
		expect(again.status).toBe(200);
		expect(await again.json()).toMatchObject({ outcome: "duplicate" });
		expect(await clientRows({ companyId })).toHaveLength(1);
		expect(await count("tasks")).toBe(tasksAfterFirst);
		expect(await lastLog()).toMatchObject({
			status: "duplicate",
			external_id: "checkout-7f3a",
		});
	});

	it("dedupes by a submission_id field, also when the first one updated a client", async ({
		expect,
	}) => {
		const { companyId } = await companyWithReps();
		const existing = await seedClient(companyId, { email: "sub@example.com" });
		const fields = { email: "sub@example.com", submission_id: "wpforms-991" };

		const first = await postForm(companyId, fields, { encoding: "urlencoded" });
		const again = await postForm(companyId, fields, { encoding: "urlencoded" });

		expect(await first.json()).toMatchObject({ outcome: "updated" });
		expect(await again.json()).toMatchObject({ outcome: "duplicate" });
		expect(await taskRows(existing)).toHaveLength(1);
		const answers = JSON.parse((await clientRows({ companyId }))[0]?.answers ?? "[]");
		expect(answers).not.toContainEqual(expect.objectContaining({ name: "submission_id" }));
	});

	it("drops a bot that filled the honeypot with 200, storing only an ignored log", async ({
		expect,
	}) => {
		const { companyId } = await companyWithReps();
		const before = { clients: await count("clients"), tasks: await count("tasks") };

		const response = await postForm(companyId, {
			email: "bot@example.com",
			website: "http://spam.example",
		});

		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ outcome: "ignored" });
		expect({ clients: await count("clients"), tasks: await count("tasks") }).toEqual(before);
		expect(await lastLog()).toMatchObject({
			status: "ignored",
			message: "honeypot field filled",
			payload: null,
		});
	});

	it("uses the configured honeypot name and lets a human's empty honeypot through", async ({
		expect,
	}) => {
		const { companyId } = await companyWithReps();
		const env = { FORMS_HONEYPOT_FIELD: "fax_number" };

		const bot = await postForm(
			companyId,
			{ email: "bot2@example.com", fax_number: "123" },
			{ env, encoding: "urlencoded" },
		);
		const human = await postForm(
			companyId,
			{ email: "human@example.com", fax_number: "", website: "https://human.example" },
			{ env, encoding: "urlencoded" },
		);

		expect(await bot.json()).toMatchObject({ outcome: "ignored" });
		expect(await human.json()).toMatchObject({ outcome: "created" });
		expect((await clientRows({ companyId })).map((c) => c.email)).toEqual(["human@example.com"]);
	});

	it("refuses a body over FORMS_MAX_BODY_BYTES with 413 and stores no client", async ({
		expect,
	}) => {
		const { companyId } = await companyWithReps();

		const response = await postForm(
			companyId,
			{ email: "big@example.com", message: "x".repeat(2_000) },
			{ env: { FORMS_MAX_BODY_BYTES: "1000" }, encoding: "multipart" },
		);

		expect(response.status).toBe(413);
		expect(await response.json()).toMatchObject({ error: { code: "payload_too_large" } });
		expect(await clientRows({ companyId })).toHaveLength(0);
		expect(await lastLog()).toMatchObject({
			action: "form_submission_received",
			status: "failure",
			message: "payload larger than 1000 bytes",
			payload: null,
		});
	});
});

describe("website forms: answers", () => {
	const thankYou = { FORMS_THANK_YOU_URL: "https://www.example.com/thanks" };

	it("sends a browser asking for HTML to the thank-you page with 303", async ({ expect }) => {
		const { companyId } = await companyWithReps();

		const response = await postForm(
			companyId,
			{ email: "browser@example.com" },
			{
				env: thankYou,
				encoding: "urlencoded",
				headers: { Accept: "text/html,application/xhtml+xml,*/*;q=0.8" },
			},
		);

		expect(response.status).toBe(303);
		expect(response.headers.get("Location")).toBe("https://www.example.com/thanks");
		expect(await clientRows({ companyId })).toHaveLength(1);
	});

	it("answers JSON to an API client, and to a browser when no thank-you URL is set", async ({
		expect,
	}) => {
		const { companyId } = await companyWithReps();

		const api = await postForm(
			companyId,
			{ email: "api@example.com" },
			{ env: thankYou, headers: { Accept: "application/json" } },
		);
		const browser = await postForm(
			companyId,
			{ email: "browser2@example.com" },
			{ headers: { Accept: "text/html" } },
		);

		expect(api.status).toBe(200);
		expect(await api.json()).toMatchObject({ outcome: "created" });
		expect(browser.status).toBe(200);
		expect(browser.headers.get("Content-Type")).toContain("application/json");
	});

	it("answers 400 without company_id and keeps the submission in a failure log", async ({
		expect,
	}) => {
		const before = await count("clients");

		const response = await postForm(null, { email: "lost@example.com", note: "hi" });

		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({
			error: { code: "bad_request", message: "the form's URL names no company: add ?company_id=N" },
		});
		expect(await count("clients")).toBe(before);
		const log = await lastLog();
		expect(log).toMatchObject({
			status: "failure",
			message: "the form's URL names no company: add ?company_id=N",
			company_id: null,
		});
		expect(JSON.parse(log?.payload ?? "null")).toEqual({
			company_id: null,
			idempotency_key: null,
			fields: [
				{ name: "email", values: ["lost@example.com"] },
				{ name: "note", values: ["hi"] },
			],
		});
	});

	it("answers 400 for an unknown company, a submission without email or phone, bad JSON", async ({
		expect,
	}) => {
		const { companyId } = await companyWithReps();
		const cases: [Promise<Response>, string][] = [
			[
				postForm(987654, { email: "x@example.com" }),
				"company 987654 does not exist (named by the form's URL)",
			],
			[postForm(companyId, { name: "Nobody" }), "no email or phone field"],
			[
				postForm(companyId, { email: "y@example.com" }, { query: "?company_id=abc" }),
				"invalid company_id",
			],
		];
		for (const [pending, message] of cases) {
			const response = await pending;
			expect(response.status).toBe(400);
			expect(await response.json()).toMatchObject({ error: { message } });
		}
		expect(await clientRows({ companyId })).toHaveLength(0);
	});

	it("answers 503 when D1 cannot be written, storing nothing", async ({ expect }) => {
		const { companyId } = await companyWithReps();
		const before = { clients: await count("clients"), tasks: await count("tasks") };

		const response = await postForm(
			companyId,
			{ email: "down@example.com" },
			{ env: { DB: unavailableD1() } },
		);

		expect(response.status).toBe(503);
		expect({ clients: await count("clients"), tasks: await count("tasks") }).toEqual(before);
	});
});
