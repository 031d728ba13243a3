// Website form adapter: fields from JSON and form bodies, contact and details found by label,
// honeypot, submission_id, and the replay payload round trip.
import { describe, it } from "vitest";
import {
	fieldsFromFormBody,
	fieldsFromJson,
	formPayload,
	parseFormFields,
	parseFormPayload,
} from "../../src/providers/webform";

describe("webform adapter", () => {
	it("reads JSON values as strings, lists as several values, and drops nulls", ({ expect }) => {
		const parsed = fieldsFromJson(
			'{"Your Name":"Lina","Mobile Number":971501234567,"interests":["a","b"],"x":null,"opt_in":true}',
		);
		expect(parsed).toEqual({
			ok: true,
			fields: [
				{ name: "Your Name", values: ["Lina"] },
				{ name: "Mobile Number", values: ["971501234567"] },
				{ name: "interests", values: ["a", "b"] },
				{ name: "opt_in", values: ["true"] },
			],
		});
		expect(fieldsFromJson("[1]")).toEqual({ ok: false, reason: "payload is not a JSON object" });
		expect(fieldsFromJson("{")).toEqual({ ok: false, reason: "malformed JSON" });
	});

	it("keeps an uploaded file's name and size (never its contents); skips empty file inputs", ({
		expect,
	}) => {
		const file = new File(["%PDF-1.7 resume"], "cv.pdf", { type: "application/pdf" });
		const empty = new File([], "");
		expect(
			fieldsFromFormBody({ email: "a@b.co", cv: file, tags: ["x", file], photo: empty }),
		).toEqual([
			{ name: "email", values: ["a@b.co"] },
			{ name: "cv", values: ['{"filename":"cv.pdf","size":15}'] },
			{ name: "tags", values: ["x", '{"filename":"cv.pdf","size":15}'] },
		]);
	});

	it("finds contact, company and message by label and keeps the rest", ({ expect }) => {
		const parsed = parseFormFields(
			[
				{ name: "First Name", values: ["Lina"] },
				{ name: "Last Name", values: ["Saleh"] },
				{ name: "Email Address:", values: ["Lina@Example.COM"] },
				{ name: "Company Name", values: ["Acme"] },
				{ name: "Your message", values: [" Call after 5 "] },
				{ name: "submission-id", values: ["sub-1"] },
				{ name: "website", values: [""] },
			],
			"website",
		);
		expect(parsed).toEqual({
			kind: "lead",
			lead: {
				fullName: "Lina Saleh",
				email: "lina@example.com",
				phones: [],
				company: "Acme",
				message: "Call after 5",
				submissionId: "sub-1",
				answers: [
					{ name: "First Name", values: ["Lina"] },
					{ name: "Last Name", values: ["Saleh"] },
					{ name: "Email Address:", values: ["Lina@Example.COM"] },
					{ name: "Company Name", values: ["Acme"] },
					{ name: "Your message", values: [" Call after 5 "] },
				],
			},
		});
	});

	it("ignores a filled honeypot and refuses a submission without email or phone", ({ expect }) => {
		expect(parseFormFields([{ name: "Website", values: ["x"] }], "website")).toEqual({
			kind: "ignored",
			reason: "honeypot field filled",
		});
		expect(parseFormFields([{ name: "name", values: ["Lina"] }], "website")).toEqual({
			kind: "invalid",
			reason: "no email or phone field",
		});
	});

	it("round-trips the replay payload and refuses anything else", ({ expect }) => {
		const payload = {
			company_id: "3",
			idempotency_key: null,
			fields: [{ name: "email", values: ["a@b.co"] }],
		};
		expect(parseFormPayload(formPayload(payload))).toEqual(payload);
		expect(parseFormPayload('{"entry":[]}')).toBeUndefined();
		expect(parseFormPayload("not json")).toBeUndefined();
	});
});
